/** A value the source did not carry: read as *missing*, never as 0 or blank (ui.md, data honesty). */
export function Missing() {
  return <span className="italic text-zinc-500 dark:text-zinc-400">missing</span>;
}
