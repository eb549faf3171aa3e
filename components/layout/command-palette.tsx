"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { tinykeys } from "tinykeys";
import type { NavSection } from "@/lib/navigation";

const load = () => import("./command-palette-dialog");
const CommandPaletteDialog = dynamic(() => load().then((m) => m.CommandPaletteDialog), { ssr: false });

/**
 * ⌘K / Ctrl+K (ui.md) on every console page. The palette itself (cmdk, the search) is not
 * part of the page's first load: its code is fetched when a modifier key first goes down —
 * before the K — or on the first ⌘K, and stays mounted from then on.
 */
export function CommandPalette({ sections }: { sections: NavSection[] }) {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);

  useEffect(() => {
    const warm = (e: KeyboardEvent) => {
      if (e.key !== "Control" && e.key !== "Meta") return;
      window.removeEventListener("keydown", warm);
      void load();
    };
    window.addEventListener("keydown", warm);
    const unbind = tinykeys(window, {
      "$mod+KeyK": (e) => {
        e.preventDefault();
        setUsed(true);
        setOpen((v) => !v);
      },
    });
    return () => {
      window.removeEventListener("keydown", warm);
      unbind();
    };
  }, []);

  return used ? <CommandPaletteDialog sections={sections} open={open} setOpen={setOpen} /> : null;
}
