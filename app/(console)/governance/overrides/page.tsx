import type { Metadata } from "next";
import Link from "next/link";
import { LazyOverrideTrendChart } from "@/components/charts/lazy-charts";
import { CsvLink } from "@/components/data-table/states";
import { BadWindow, Fact, FigureSection, NUM, pct, WindowForm } from "@/components/governance/figures";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { eventCauseConfusion } from "@/lib/data/events/views";
import { overrideRegister, type OverrideCell, type OverrideRegister, type OverrideRow } from "@/lib/data/override-register";
import type { CauseConfusion } from "@/lib/governance/event-causes";
import { DEFAULT_WEEKS, MAX_WEEKS, OVERRIDE_DIMENSION_LABELS, parseWeeks } from "@/lib/governance/override-register";
import { addDays } from "@/lib/governance/window";
import { CAUSE_CATEGORY_LABELS, type CauseCategory } from "@/lib/mrs/taxonomy";
import { OVERRIDE_REASON_LABELS, type OverrideReason } from "@/lib/validations/decision-labels";

export const metadata: Metadata = { title: "Override register" };

type Dimension = keyof OverrideRegister["by"];

/** The rate beside the threshold: over it in red, with how many decisions it rests on. */
function RateBadge({ cell, threshold }: { cell: OverrideCell; threshold: number }) {
  if (cell.rate === null) return <span className="text-zinc-400">—</span>;
  const over = cell.rate > threshold;
  return (
    <Badge tone={over ? "red" : "green"} className="whitespace-nowrap" title={`${cell.overrides} of ${cell.decisions} decisions; threshold ${pct(threshold)}`}>
      {pct(cell.rate)}
      {over ? " · over" : ""}
    </Badge>
  );
}

export default async function OverrideRegisterPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("dashboards:read");
  const parsed = parseWeeks((await searchParams).weeks);
  const header = (
    <PageHeader
      title="Override register"
      description="How often analysts overturn the machine label: overrides / human decisions (first decisions of queued records), against the threshold. Counts analyst decisions only; label feedback does not enter here (docs/labels.md). Amendments are counted under the lead who amended."
      actions={parsed.ok ? <CsvLink href={`/governance/overrides/export?by=analyst&weeks=${parsed.weeks}`} label="Download CSV (by analyst)" /> : undefined}
    />
  );
  if (!parsed.ok) return <BadWindow header={header} param="weeks" message={parsed.message} href="/governance/overrides" action="Open the last 12 weeks" />;
  const register = await overrideRegister(actor, { weeks: parsed.weeks });
  const eventCauses = await eventCauseConfusion(actor);
  const canSeeEvents = actorCan(actor, "events:read");
  const { threshold, total, weeks, from } = register;
  const canSeeLog = actorCan(actor, "governance:read");
  const canSeeQueue = actorCan(actor, "queue:read");
  // Every figure links to the entries it counts, where the viewer may open them.
  const drill = (dimension: Dimension, row: OverrideRow): string | null => {
    if (dimension === "analyst" && canSeeLog) return `/governance/ledger?actor=${row.key}&from=${from}`;
    if (dimension === "override_reason" && canSeeLog) return `/governance/ledger?action=override&from=${from}`;
    if (dimension === "cluster" && canSeeQueue) return `/queue?status=decided&cluster=${encodeURIComponent(row.key)}`;
    if (dimension === "gating_reason" && canSeeQueue) return `/queue?status=decided&reason=${encodeURIComponent(row.key)}`;
    // A policy snapshot's and a model version's audit trails.
    if ((dimension === "policy" || dimension === "scorer") && canSeeLog) return `/governance/trail/${dimension === "scorer" ? "model" : "policy"}/${encodeURIComponent(row.key)}`;
    return null;
  };
  const label = (dimension: Dimension, row: OverrideRow) =>
    dimension === "override_reason" ? (OVERRIDE_REASON_LABELS[row.key as OverrideReason]?.label ?? row.key) : row.label;

  return (
    <div className="space-y-6">
      {header}
      <WindowForm
        action="/governance/overrides"
        name="weeks"
        unit="week"
        value={weeks}
        choices={[1, 4, DEFAULT_WEEKS, 26, 52, MAX_WEEKS]}
        note={`From Monday ${from} (UTC) to now · weeks by the decision's effective time · threshold ${pct(threshold)}`}
      />

      {total.decisions === 0 && total.amendments === 0 ? (
        <EmptyState title={`No human decision in the last ${weeks} week${weeks === 1 ? "" : "s"}`}>
          Each confirm or override of a queued record is counted here the moment it is recorded; a wider window may show older ones.
        </EmptyState>
      ) : (
        <>
          <section aria-label="Totals" className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Fact label="Override rate" value={<RateBadge cell={total} threshold={threshold} />} hint={`threshold ${pct(threshold)}`} />
            <Fact label="Human decisions" value={total.decisions.toLocaleString("en-US")} hint="confirms and overrides" />
            <Fact label="Overrides" value={total.overrides.toLocaleString("en-US")} />
            <Fact label="Amendments" value={total.amendments.toLocaleString("en-US")} hint="by leads, after a decision" />
          </section>

          <div className="grid gap-6 xl:grid-cols-2">
            {(Object.keys(OVERRIDE_DIMENSION_LABELS) as Dimension[]).map((dimension) => {
              const meta = OVERRIDE_DIMENSION_LABELS[dimension];
              const rows = register.by[dimension];
              return (
                <section key={dimension} aria-label={meta.title} className="space-y-2">
                  <div className="flex items-baseline justify-between gap-2">
                    <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{meta.title}</h2>
                    <a className="text-xs text-sky-700 hover:underline dark:text-sky-400" href={`/governance/overrides/export?by=${dimension}&weeks=${weeks}`} download>
                      CSV
                    </a>
                  </div>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">{meta.meaning}</p>
                  {rows.length === 0 ? (
                    <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">Nothing counted in this window.</p>
                  ) : (
                    <Table label={meta.title}>
                      <thead>
                        <tr>
                          <Th>{meta.column}</Th>
                          <Th className="text-right">Decisions</Th>
                          <Th className="text-right">Overrides</Th>
                          <Th className="text-right">Rate</Th>
                          {dimension === "analyst" ? <Th className="text-right">Amendments</Th> : null}
                        </tr>
                      </thead>
                      <tbody>
                        {rows.map((row) => {
                          const href = drill(dimension, row);
                          return (
                            <tr key={row.key} data-testid={`override-${dimension}-${row.key}`}>
                              <Td className="max-w-64 truncate" title={row.key}>
                                {href ? (
                                  <Link prefetch={false} href={href} className="text-sky-700 hover:underline dark:text-sky-400">
                                    {label(dimension, row)}
                                  </Link>
                                ) : (
                                  label(dimension, row)
                                )}
                              </Td>
                              <Td className="tabular text-right">{row.decisions}</Td>
                              <Td className="tabular text-right">{row.overrides}</Td>
                              <Td className="text-right">
                                <RateBadge cell={row} threshold={threshold} />
                              </Td>
                              {dimension === "analyst" ? <Td className="tabular text-right">{row.amendments}</Td> : null}
                            </tr>
                          );
                        })}
                      </tbody>
                    </Table>
                  )}
                </section>
              );
            })}
          </div>

          <section aria-label="By week" className="space-y-2">
            <div className="flex items-baseline justify-between gap-2">
              <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">By week</h2>
              <a className="text-xs text-sky-700 hover:underline dark:text-sky-400" href={`/governance/overrides/export?by=week&weeks=${weeks}`} download>
                CSV
              </a>
            </div>
            <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
              <LazyOverrideTrendChart points={register.trend} threshold={threshold} />
            </div>
            <Table label="By week">
              <thead>
                <tr>
                  <Th>Week (Monday, UTC)</Th>
                  <Th className="text-right">Decisions</Th>
                  <Th className="text-right">Overrides</Th>
                  <Th className="text-right">Rate</Th>
                  <Th className="text-right">Amendments</Th>
                </tr>
              </thead>
              <tbody>
                {[...register.trend].reverse().map((w) => (
                  <tr key={w.week} data-testid={`override-week-${w.week}`}>
                    <Td className="tabular">
                      {canSeeLog && w.decisions + w.amendments > 0 ? (
                        <Link prefetch={false} href={`/governance/ledger?from=${w.week}&to=${addDays(w.week, 6)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                          {w.week}
                        </Link>
                      ) : (
                        w.week
                      )}
                    </Td>
                    <Td className="tabular text-right">{w.decisions}</Td>
                    <Td className="tabular text-right">{w.overrides}</Td>
                    <Td className="text-right">
                      <RateBadge cell={w} threshold={threshold} />
                    </Td>
                    <Td className="tabular text-right">{w.amendments}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>
        </>
      )}
      <EventCauses confusion={eventCauses} weeks={weeks} canSeeEvents={canSeeEvents} />
    </div>
  );
}

/** Events: the machine's cause against the cause people decided, and how often each machine cause is overturned. */
function EventCauses({ confusion, weeks, canSeeEvents }: { confusion: CauseConfusion; weeks: number; canSeeEvents: boolean }) {
  const { categories, cells, byMachine } = confusion;
  const name = (c: CauseCategory) => CAUSE_CATEGORY_LABELS[c].label;
  return (
    <FigureSection
      title="Events: machine cause against analyst cause"
      note="Every minority event whose cause a person decided, whatever the window (confirm, override, or a finalisation naming a cause; weekend mode's confirmations are not counted): rows are the machine's cause, columns the cause decided; the diagonal is agreement."
      actions={
        <a className="text-xs text-sky-700 hover:underline dark:text-sky-400" href={`/governance/overrides/export?by=event_cause&weeks=${weeks}`} download>
          CSV
        </a>
      }
    >
      {confusion.decided === 0 ? (
        <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">
          No event&apos;s cause was decided by a person yet: the table fills as analysts confirm or override events.
        </p>
      ) : (
        <div className="grid gap-4 2xl:grid-cols-[3fr_2fr]">
          <Table label="Machine cause against analyst cause">
            <thead>
              <tr>
                <Th>Machine ↓ · analyst →</Th>
                {categories.map((c) => (
                  <Th key={c} className="text-right">
                    {name(c)}
                  </Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories
                .filter((m) => cells[m])
                .map((m) => (
                  <tr key={m} data-testid={`cause-row-${m}`}>
                    <Td className="whitespace-nowrap font-medium">{name(m)}</Td>
                    {categories.map((a) => (
                      <Td key={a} className={`${NUM} ${a === m ? "bg-emerald-50 font-semibold dark:bg-emerald-950/40" : (cells[m]![a] ?? 0) > 0 ? "bg-red-50 dark:bg-red-950/40" : "text-zinc-400"}`}>
                        {cells[m]![a] ?? 0}
                      </Td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </Table>
          <Table label="Overturned by machine cause">
            <thead>
              <tr>
                <Th>Machine cause</Th>
                <Th className="text-right">Decided</Th>
                <Th className="text-right">Overturned</Th>
                <Th className="text-right">Rate</Th>
              </tr>
            </thead>
            <tbody>
              {byMachine.map((r) => (
                <tr key={r.machine} data-testid={`cause-overturned-${r.machine}`}>
                  <Td className="whitespace-nowrap">
                    {canSeeEvents ? (
                      <Link prefetch={false} href={`/events?status=all&cause=${r.machine}`} className="text-sky-700 hover:underline dark:text-sky-400">
                        {name(r.machine)}
                      </Link>
                    ) : (
                      name(r.machine)
                    )}
                  </Td>
                  <Td className={NUM}>{r.decided}</Td>
                  <Td className={NUM}>{r.overturned}</Td>
                  <Td className={NUM}>{pct(r.rate)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </FigureSection>
  );
}
