// No "use client": the server-rendered list table renders the hint too.

/** The lines of the shortcuts dialog for a table with these abilities. */
export function rowShortcutLines({ opens, canOpen, selectable, shortcuts }: { opens: string; canOpen: boolean; selectable: boolean; shortcuts: readonly { key: string; label: string }[] }) {
  return [
    ["j", "next row"],
    ["k", "previous row"],
    ...(canOpen ? [["Enter", `open ${opens}`] as const] : []),
    ...(selectable ? [["x", "select the active row"] as const] : []),
    ...shortcuts.map((s) => [s.key, s.label] as const),
    ["?", "show or hide this list"],
  ] as (readonly [string, string])[];
}

/** The hint under a table: how to move, open and see every shortcut. */
export function RowKeysHint({ canOpen, opens }: { canOpen: boolean; opens: string }) {
  return (
    <p className="border-t border-zinc-100 px-3 py-1.5 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
      <kbd className="font-mono">j</kbd>/<kbd className="font-mono">k</kbd> move
      {canOpen ? (
        <>
          {" "}
          · <kbd className="font-mono">Enter</kbd> opens {opens}
        </>
      ) : null}{" "}
      · <kbd className="font-mono">?</kbd> all shortcuts
    </p>
  );
}
