"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { tinykeys } from "tinykeys";
import { isTyping } from "@/components/ui/keyboard";

/** A page's own shortcut: its key (tinykeys syntax), what it does, and its handler. */
export interface RowShortcut {
  key: string;
  label: string;
  run: (e: KeyboardEvent) => void;
}

/**
 * The keyboard of every list table, client-rendered (./data-table.tsx) or server-rendered
 * (./table-keys.tsx): j / k move the active row, Enter opens it, x toggles its selection,
 * ? shows the shortcuts, the page's own keys run theirs — none fires while typing in a field.
 */
export function useRowKeys({
  rowCount,
  hrefOf,
  toggleAt,
  shortcuts,
  table,
}: {
  rowCount: number;
  /** the address Enter opens for row i, if any */
  hrefOf: (index: number) => string | null | undefined;
  /** toggles row i's selection; null when the table does not select */
  toggleAt: ((index: number) => void) | null;
  shortcuts: readonly RowShortcut[];
  /** the table element, marked `data-keyboard="on"` once its shortcuts listen (tests and scripts wait for it) */
  table: () => Element | null | undefined;
}) {
  const [active, setActive] = useState(0);
  const [help, setHelp] = useState(false);
  const router = useRouter();

  useEffect(() => {
    table()?.setAttribute("data-keyboard", "on");
    const guard = (run: (e: KeyboardEvent) => void) => (e: KeyboardEvent) => {
      if (!isTyping(e)) run(e);
    };
    const toggleHelp = guard((e) => {
      e.preventDefault();
      setHelp((shown) => !shown);
    });
    const bindings: Record<string, (e: KeyboardEvent) => void> = {
      j: guard(() => setActive((i) => Math.min(i + 1, rowCount - 1))),
      k: guard(() => setActive((i) => Math.max(i - 1, 0))),
      Enter: guard((e) => {
        // A focused link or button handles its own Enter.
        if (e.target instanceof HTMLElement && ["A", "BUTTON"].includes(e.target.tagName)) return;
        const href = hrefOf(active);
        if (href) router.push(href);
      }),
      // "?" arrives with or without Shift depending on the keyboard layout.
      "?": toggleHelp,
      "Shift+?": toggleHelp,
      Escape: () => setHelp(false),
    };
    if (toggleAt) bindings.x = guard(() => toggleAt(active));
    for (const s of shortcuts) bindings[s.key] = guard(s.run);
    return tinykeys(window, bindings);
  }, [rowCount, hrefOf, toggleAt, shortcuts, table, active, router]);

  return { active, setActive, help, setHelp };
}

/** The ids a list table has selected (its boxes and `x`): toggle one, set all of `ids` or none, clear. */
export function useRowSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const setAll = (ids: readonly string[], on: boolean) => setSelected(on ? new Set(ids) : new Set());
  const clear = () => setSelected(new Set());
  return { selected, toggle, setAll, clear };
}
