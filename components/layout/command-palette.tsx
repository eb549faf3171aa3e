"use client";

import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { tinykeys } from "tinykeys";
import { cn } from "@/lib/cn";
import type { NavSection } from "@/lib/navigation";

type Command = { id: string; label: string; hint: string; href: string };

const RECORD_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const REPORT_GROUP = /^MR-[A-Z]{2}-\d{3,}$/i;
const EVENT_ID = /^ME-[0-9a-f]{12}$/;
const REPORT_ID = /^MR-[0-9a-f]{16}$/;

/** The event id of a report group, as lib/mrs derives it (`ME-` + 12 hex of sha256). */
async function eventIdOf(group: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(group));
  return `ME-${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12)}`;
}

/**
 * ⌘K / Ctrl+K (ui.md): go to a page of the role's navigation, a record by id, an event by
 * its group (MR-UK-001) or id, or a report. ↑/↓ choose, Enter goes, Escape closes; the
 * data layer still decides what the person may see.
 */
export function CommandPalette({ sections, canQueue, canEvents }: { sections: NavSection[]; canQueue: boolean; canEvents: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [groupEvent, setGroupEvent] = useState<{ group: string; id: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      tinykeys(window, {
        "$mod+KeyK": (e) => {
          e.preventDefault();
          setOpen((v) => !v);
          setText("");
          setActive(0);
        },
      }),
    [],
  );
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  const query = text.trim();
  useEffect(() => {
    let live = true;
    if (canEvents && REPORT_GROUP.test(query))
      void eventIdOf(query.toUpperCase()).then((id) => {
        if (live) setGroupEvent({ group: query.toUpperCase(), id });
      });
    return () => {
      live = false;
    };
  }, [query, canEvents]);

  const commands = useMemo(() => {
    const pages: Command[] = sections.flatMap((s) => s.items.map((i) => ({ id: i.href, label: i.label, hint: s.label, href: i.href })));
    const lower = query.toLowerCase();
    // Pages whose name matches come first; then what the text could be an id of.
    const list = pages.filter((p) => !lower || p.label.toLowerCase().includes(lower));
    if (query) {
      if (canEvents && groupEvent && groupEvent.group === query.toUpperCase()) list.push({ id: "group", label: `Open event ${groupEvent.group}`, hint: "Minority event", href: `/events/${groupEvent.id}` });
      if (canEvents && EVENT_ID.test(query)) list.push({ id: "event", label: `Open event ${query}`, hint: "Minority event", href: `/events/${query}` });
      if (canEvents && REPORT_ID.test(query)) list.push({ id: "report", label: `Open report ${query}`, hint: "Minority report", href: `/events/reports/${query}` });
      if (canQueue && RECORD_ID.test(query) && !REPORT_GROUP.test(query) && !EVENT_ID.test(query) && !REPORT_ID.test(query))
        list.push({ id: "record", label: `Open record ${query}`, hint: "Audit queue", href: `/queue/${encodeURIComponent(query)}` });
    }
    return list;
  }, [sections, query, groupEvent, canQueue, canEvents]);

  if (!open) return null;
  const go = (c: Command | undefined) => {
    if (!c) return;
    setOpen(false);
    router.push(c.href);
  };
  return (
    <div role="dialog" aria-modal="true" aria-label="Go to" className="fixed inset-0 z-50 flex items-start justify-center bg-zinc-950/40 pt-28" onClick={() => setOpen(false)}>
      <div className="w-full max-w-lg overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xl dark:border-zinc-700 dark:bg-zinc-900" onClick={(e) => e.stopPropagation()}>
        <div className="flex items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-700">
          <Search aria-hidden className="size-4 text-zinc-400" />
          <input
            ref={input}
            role="combobox"
            aria-expanded="true"
            aria-controls="command-list"
            aria-label="Go to a page, record or event"
            placeholder="Page, record id (0254_01), event (MR-UK-001)…"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape") setOpen(false);
              else if (e.key === "ArrowDown") {
                e.preventDefault();
                setActive((i) => Math.min(i + 1, commands.length - 1));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setActive((i) => Math.max(i - 1, 0));
              } else if (e.key === "Enter") {
                e.preventDefault();
                go(commands[active]);
              }
            }}
            className="h-11 w-full bg-transparent text-sm outline-none"
          />
        </div>
        <ul id="command-list" role="listbox" aria-label="Destinations" className="max-h-80 overflow-y-auto py-1">
          {commands.length === 0 ? <li className="px-3 py-2 text-sm text-zinc-500">Nothing matches. Type a record id or an event such as MR-UK-001.</li> : null}
          {commands.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(c)}
              className={cn("flex cursor-pointer items-center justify-between px-3 py-2 text-sm", i === active && "bg-sky-50 dark:bg-sky-950/60")}
            >
              <span>{c.label}</span>
              <span className="text-xs text-zinc-500">{c.hint}</span>
            </li>
          ))}
        </ul>
        <p className="border-t border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-700">↑↓ choose · Enter go · Esc close</p>
      </div>
    </div>
  );
}
