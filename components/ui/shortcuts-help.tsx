"use client";

import { Fragment } from "react";
import { Modal } from "./modal";

/** The `?` dialog: every shortcut of the current page with what it does. */
export function ShortcutsHelp({ shortcuts, onClose }: { shortcuts: readonly (readonly [string, string])[]; onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        {shortcuts.map(([keys, what]) => (
          <Fragment key={keys}>
            <dt>
              <kbd className="rounded border border-zinc-300 px-1.5 font-mono text-xs dark:border-zinc-700">{keys}</kbd>
            </dt>
            <dd className="text-zinc-700 dark:text-zinc-300">{what}</dd>
          </Fragment>
        ))}
      </dl>
    </Modal>
  );
}
