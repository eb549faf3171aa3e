import Form from "next/form";
import type { ReactNode } from "react";
import { TableError } from "@/components/data-table/states";
import { Button } from "@/components/ui/button";

/** A rate as a percentage with `digits` decimals; a missing rate (nothing to divide by) is a dash. */
export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)} %`);

/** Right-aligned tabular figures in a table cell. */
export const NUM = "tabular whitespace-nowrap text-right";

/** A titled block of a governance page, with a line saying what its figures count. */
export function FigureSection({ title, children, note, actions, id }: { title: string; children: ReactNode; note?: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section aria-label={title} id={id} className="scroll-mt-4 space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
        {actions}
      </div>
      {note ? <p className="max-w-4xl text-xs text-zinc-500 dark:text-zinc-400">{note}</p> : null}
      {children}
    </section>
  );
}

/** What a governance page finds out of bounds, listed above its figures; nothing when all is well. */
export function FigureAlerts({ label, alerts }: { label: string; alerts: readonly string[] }) {
  if (alerts.length === 0) return null;
  return (
    <section role="alert" aria-label={label} className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
      <ul className="list-disc space-y-0.5 pl-5">
        {alerts.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </section>
  );
}

/** One headline figure of a governance page; `tone="bad"` outlines it in red. */
export function Fact({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: "bad" | "good" }) {
  return (
    <div
      className={`rounded-lg border bg-white px-4 py-3 dark:bg-zinc-900 ${tone === "bad" ? "border-red-300 dark:border-red-800" : "border-zinc-200 dark:border-zinc-800"}`}
      data-tone={tone}
    >
      <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className="tabular mt-1 text-2xl font-semibold text-zinc-900 dark:text-zinc-50">{value}</p>
      {hint ? <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{hint}</p> : null}
    </div>
  );
}

/** The window of a governance page (days or weeks) as a GET form, with what it covers beside it. */
export function WindowForm({
  action,
  name,
  unit,
  value,
  choices,
  note,
  keep = {},
}: {
  action: string;
  name: string;
  unit: "day" | "week";
  value: number;
  choices: number[];
  note: ReactNode;
  /** other parameters of the view, kept when the window changes */
  keep?: Record<string, string>;
}) {
  return (
    <Form action={action} className="flex flex-wrap items-end gap-3 text-sm">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Window</span>
        <select name={name} defaultValue={String(value)} className="h-9 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900">
          {choices.map((n) => (
            <option key={n} value={n}>
              last {n} {unit}
              {n === 1 ? "" : "s"}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="secondary">
        Show
      </Button>
      <p className="pb-2 text-xs text-zinc-500 dark:text-zinc-400">{note}</p>
    </Form>
  );
}

/** A governance page whose window parameter does not parse: the header, and the parameter named with its rule. */
export function BadWindow({ header, param, message, href, action }: { header: ReactNode; param: string; message: string; href: string; action: string }) {
  return (
    <div className="space-y-4">
      {header}
      <TableError title="This view's address is not valid" href={href} action={action}>
        <span className="font-mono">{param}</span> {message}.
      </TableError>
    </div>
  );
}
