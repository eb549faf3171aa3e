"use client";

import { Command } from "cmdk";
import { CalendarRange, FileText, Layers, LayoutList, Loader2, Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { SearchHit, SearchKind } from "@/lib/data/search";
import type { NavSection } from "@/lib/navigation";

/** Wait this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 150;

const GROUPS: { kind: SearchKind; heading: string }[] = [
  { kind: "record", heading: "Records" },
  { kind: "event", heading: "Events" },
  { kind: "report", heading: "Reports" },
  { kind: "page", heading: "Pages" },
];

const ICONS: Record<SearchKind, typeof Search> = { record: LayoutList, event: Layers, report: FileText, page: CalendarRange };

type Lookup = { query: string; hits: SearchHit[] } | { query: string; error: string };

/**
 * ⌘K / Ctrl+K (ui.md): go to a record by id prefix, an event by its group (MR-UK-001) or
 * id, a report by id, or one of the person's pages. Suggestions come from the server
 * (GET /search, lib/data/search), which offers only what exists and what the role may see:
 * typing something that names nothing shows "No results", never a guess. ↑/↓ choose,
 * Enter goes, Escape closes (cmdk's dialog is a Radix dialog: focus is trapped and returns).
 * Loaded on first use by ./command-palette.tsx, which owns the shortcut and the open state.
 */
export function CommandPaletteDialog({ sections, open, setOpen }: { sections: NavSection[]; open: boolean; setOpen: (open: boolean) => void }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [selected, setSelected] = useState("");
  const query = text.trim();

  useEffect(() => {
    if (!open || !query) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/search?q=${encodeURIComponent(query)}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(async (res) => {
          const body = (await res.json()) as { hits?: SearchHit[]; error?: { message?: string } };
          if (!res.ok || !body.hits) throw new Error(body.error?.message ?? `Search failed (${res.status}).`);
          setLookup({ query, hits: body.hits });
          setSelected(body.hits[0] ? valueOf(body.hits[0]) : "");
        })
        .catch((error: Error) => {
          if (error.name !== "AbortError") setLookup({ query, error: error.message });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query]);

  const pages: SearchHit[] = sections.flatMap((s) => s.items.map((i) => ({ kind: "page" as const, id: i.href, label: i.label, detail: s.label, href: i.href })));
  const settled = lookup !== null && lookup.query === query;
  const hits: SearchHit[] = !query ? pages : settled && "hits" in lookup ? lookup.hits : [];

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setText("");
      setLookup(null);
      setSelected("");
    }
  };
  const go = (hit: SearchHit) => {
    close(false);
    router.push(hit.href);
  };

  return (
    <Command.Dialog
      open={open}
      onOpenChange={close}
      label="Go to"
      shouldFilter={false}
      loop
      value={selected}
      onValueChange={setSelected}
      overlayClassName="fixed inset-0 z-50 bg-zinc-950/40"
      contentClassName="fixed top-24 left-1/2 z-50 w-full max-w-xl -translate-x-1/2 overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-700">
        <Search aria-hidden className="size-4 shrink-0 text-zinc-400" />
        <Command.Input
          value={text}
          onValueChange={setText}
          aria-label="Go to a page, record, event or report"
          placeholder="Record id (0254_01), event (MR-UK-001), report (MR-…), page…"
          className="h-11 w-full bg-transparent text-sm outline-none placeholder:text-zinc-400"
        />
        {query && !settled ? <Loader2 aria-hidden className="size-4 shrink-0 animate-spin text-zinc-400" /> : null}
      </div>
      <Command.List label="Suggestions" className="max-h-96 overflow-y-auto py-1">
        {query && !settled ? <Command.Loading label="Searching">{null}</Command.Loading> : null}
        {settled && "error" in lookup ? (
          <p role="alert" className="px-3 py-2 text-sm text-red-700 dark:text-red-400">
            {lookup.error}
          </p>
        ) : null}
        {query && settled && hits.length === 0 && !("error" in lookup) ? (
          <div role="status" className="px-3 py-3 text-sm text-zinc-600 dark:text-zinc-400">
            <p className="font-medium">No results</p>
            <p className="mt-0.5 text-xs text-zinc-500">Nothing you may open is called “{query}”. Try a record id prefix (0254_), an event group (MR-UK-001) or a report id.</p>
          </div>
        ) : null}
        {GROUPS.map(({ kind, heading }) => {
          const group = hits.filter((h) => h.kind === kind);
          if (group.length === 0) return null;
          const Icon = ICONS[kind];
          return (
            <Command.Group
              key={kind}
              heading={heading}
              className="[&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-500"
            >
              {group.map((hit) => (
                <Command.Item
                  key={valueOf(hit)}
                  value={valueOf(hit)}
                  onSelect={() => go(hit)}
                  aria-label={`${hit.label} · ${hit.detail}`}
                  className="flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm data-[selected=true]:bg-sky-50 dark:data-[selected=true]:bg-sky-950/60"
                >
                  <Icon aria-hidden className="size-4 shrink-0 text-zinc-400" />
                  <span className={kind === "page" ? "truncate" : "truncate font-mono text-[13px]"}>{kind === "page" ? hit.label : hit.id}</span>
                  <span className={kind === "event" ? "ml-auto shrink-0 font-mono text-xs text-zinc-500" : "ml-auto shrink-0 text-xs text-zinc-500"}>{hit.detail}</span>
                </Command.Item>
              ))}
            </Command.Group>
          );
        })}
      </Command.List>
      <p className="border-t border-zinc-200 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-700">↑↓ choose · Enter go · Esc close</p>
    </Command.Dialog>
  );
}

const valueOf = (hit: SearchHit) => `${hit.kind}:${hit.id}`;
