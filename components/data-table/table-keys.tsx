"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import { ShortcutsHelp } from "@/components/ui/shortcuts-help";
import { useRowKeys, useRowSelection } from "./row-keys";
import { rowShortcutLines } from "./row-keys-hint";

/** A page's own shortcut: its key (tinykeys syntax), what it does, and the element it focuses. */
export interface FocusShortcut {
  key: string;
  label: string;
  focus: string;
}

interface TableState {
  active: number;
  setActive: (index: number) => void;
  open: (index: number) => void;
  selectable: boolean;
  ids: readonly string[];
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  setAll: (on: boolean) => void;
  clear: () => void;
}

const TableContext = createContext<TableState | null>(null);

/** The active row and the selection of the list table around the caller. */
export function useTableState(): TableState {
  const state = useContext(TableContext);
  if (!state) throw new Error("useTableState outside a list table");
  return state;
}

/**
 * The keyboard and selection of a server-rendered list table (./list-table.tsx): j / k move
 * the active row, Enter opens it, x selects it, ? lists the shortcuts — none fires while
 * typing in a field. It knows the rows by id and address only; their cells stay server HTML.
 */
export function TableKeys({
  ids,
  hrefs,
  selectable,
  opens,
  shortcuts = [],
  children,
}: {
  ids: string[];
  hrefs: (string | null)[] | null;
  selectable: boolean;
  opens: string;
  shortcuts?: FocusShortcut[];
  children: ReactNode;
}) {
  const { selected, toggle, setAll: selectAll, clear } = useRowSelection();
  const router = useRouter();
  const root = useRef<HTMLDivElement>(null);

  const open = (index: number) => {
    const href = hrefs?.[index];
    if (href) router.push(href);
  };
  const setAll = (on: boolean) => selectAll(ids, on);

  // A focus shortcut moves the caret to its field (the field itself is server HTML).
  const rowShortcuts = useMemo(
    () =>
      shortcuts.map((s) => ({
        key: s.key,
        label: s.label,
        run: (e: KeyboardEvent) => {
          e.preventDefault();
          document.getElementById(s.focus)?.focus();
        },
      })),
    [shortcuts],
  );
  const { active, setActive, help, setHelp } = useRowKeys({
    rowCount: ids.length,
    hrefOf: (i) => hrefs?.[i],
    toggleAt: selectable
      ? (i) => {
          const id = ids[i];
          if (id !== undefined) toggle(id);
        }
      : null,
    shortcuts: rowShortcuts,
    table: () => root.current?.querySelector("table"),
  });

  useEffect(() => {
    root.current?.querySelectorAll("tbody > tr")[active]?.scrollIntoView({ block: "nearest" });
  }, [active]);

  // The rows' own links do not prefetch (a page of 100 would fetch every visible one on load):
  // the active row's page is prefetched instead, so Enter and j/k-then-Enter are as quick, and
  // a row's page when the pointer comes over it, before a click or double click.
  const prefetched = useRef(new Set<string>());
  const prefetch = (index: number) => {
    const href = hrefs?.[index];
    if (!href || prefetched.current.has(href)) return;
    prefetched.current.add(href);
    router.prefetch(href);
  };
  useEffect(() => {
    const href = hrefs?.[active];
    if (!href || prefetched.current.has(href)) return;
    const timer = setTimeout(() => {
      prefetched.current.add(href);
      router.prefetch(href);
    }, 50);
    return () => clearTimeout(timer);
  }, [active, hrefs, router]);

  const helpLines = rowShortcutLines({ opens, canOpen: Boolean(hrefs), selectable, shortcuts });

  return (
    <div
      ref={root}
      className="space-y-2"
      onPointerOver={(e) => {
        const row = e.target instanceof Element ? e.target.closest("tbody > tr") : null;
        if (row?.parentElement) prefetch(Array.prototype.indexOf.call(row.parentElement.children, row));
      }}
    >
      <TableContext.Provider value={{ active, setActive, open, selectable, ids, selected, toggle, setAll, clear }}>{children}</TableContext.Provider>
      {help ? <ShortcutsHelp shortcuts={helpLines} onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

/** A body row: active on click, opened on double click; its selection box first when the table selects. */
export function KeyRow({ index, id, testId, children }: { index: number; id: string; testId?: string; children: ReactNode }) {
  const { active, setActive, open, selectable, selected, toggle } = useTableState();
  const isActive = index === active;
  return (
    <tr
      data-testid={testId}
      aria-selected={isActive}
      onClick={() => setActive(index)}
      onDoubleClick={() => open(index)}
      // The active row's first cell carries the left rule (server cells cannot know which row is active).
      className={`cursor-default [&[aria-selected=true]>td:first-child]:border-l-2 [&[aria-selected=true]>td:first-child]:border-l-sky-600 ${isActive ? "bg-sky-50 dark:bg-sky-950/50" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40"}`}
    >
      {selectable ? (
        <td className="h-9 w-9 border-b border-zinc-100 px-3 align-middle dark:border-zinc-800/70">
          <input type="checkbox" aria-label={`Select ${id}`} checked={selected.has(id)} onChange={() => toggle(id)} />
        </td>
      ) : null}
      {children}
    </tr>
  );
}

/** The header's box: selects every row of the page, or none. */
export function SelectAllBox() {
  const { ids, selected, setAll } = useTableState();
  return (
    <th scope="col" className="w-9 border-b border-zinc-200 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
      <input type="checkbox" aria-label="Select all on this page" checked={ids.length > 0 && ids.every((id) => selected.has(id))} onChange={(e) => setAll(e.target.checked)} />
    </th>
  );
}
