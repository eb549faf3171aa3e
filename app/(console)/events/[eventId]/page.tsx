import type { Metadata } from "next";
import Link from "next/link";
import { Missing } from "@/components/layout/missing";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import { notFound } from "next/navigation";
import { LazyUpliftChart } from "@/components/charts/lazy-charts";
import { EmptyState } from "@/components/layout/empty-state";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getEventDetail, type EventTimelineItem } from "@/lib/data/events/views";
import { NotFoundError, BadRequestError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { alignedStores, CAUSE_CATEGORY_LABELS, impactVector, type CauseCategory, type HydratedReport } from "@/lib/mrs";
import { AsOfPicker } from "../as-of";
import { ImpactVectorPanel } from "../impact-vector";
import { SubjectActions } from "../subject-actions";

type Params = Promise<{ eventId: string }>;
type SearchParams = Promise<{ asOf?: string; steps?: string }>;

/** Steps shown before "show all": the latest ones, where the decision and its reasons are. */
const TIMELINE_LATEST = 12;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Event ${(await params).eventId}` };
}


const missing = <Missing />;
const causeText = (category: CauseCategory | null, label: string | null) =>
  category === null ? null : `${label ?? CAUSE_CATEGORY_LABELS[category].label} (${CAUSE_CATEGORY_LABELS[category].label})`;
const STATUS_TONE: Record<string, BadgeTone> = { open: "amber", decided: "indigo", finalised: "green" };

function timelineText(item: EventTimelineItem): { title: string; detail: string | null; who: string } {
  if (item.kind === "machine") {
    const row = item.row as unknown as Record<string, unknown>;
    const who = `${item.log} log · report ${item.reportId} · v${item.version}`;
    switch (item.log) {
      case "attribution": {
        const cause = row.cause_1 as { category: CauseCategory; label: string };
        return { title: `Attribution: ${cause.label} ${row.confidence_1 === null ? "(no confidence)" : Number(row.confidence_1).toFixed(2)}`, detail: (row.narrative as string) ?? null, who };
      }
      case "detected":
        return { title: `Detected at store ${row.storeId} (${row.retailer}): actual ${row.actual} vs baseline ${row.baseline}`, detail: null, who };
      case "clustered":
        return { title: row.clusterId ? `Clustered into ${row.clusterId}` : "Clustering ran without a cluster (unclustered)", detail: null, who };
      case "ended":
        return { title: `Window ended ${typeof row.windowEnd === "string" ? formatUtc(row.windowEnd) : "at an unknown time"}`, detail: null, who };
      default:
        return { title: `Joined event ${row.reportGroupId} (cohort of ${row.cohortSize})`, detail: null, who };
    }
  }
  const e = item.entry!;
  const after = (e.after ?? {}) as { cause?: { label: string; category: CauseCategory } | null; outcome?: string; status?: string };
  const actor = e.actor.type === "system" ? `system · ${e.actor.rule} · config ${e.actor.configVersion}` : `${item.actorName ?? "unknown"} (${e.actor.role})`;
  const title =
    e.action === "confirm"
      ? `Confirmed ${after.cause?.label ?? ""}`
      : e.action === "override"
        ? `Overrode cause to ${after.cause?.label ?? ""}`
        : e.action === "finalise"
          ? `Finalised: ${after.outcome}${after.cause ? ` · ${after.cause.label}` : ""}`
          : e.action === "reopen"
            ? "Reopened"
            : "Note";
  return { title, detail: [e.reasonCode, e.reasonText, ...e.evidence].filter(Boolean).join(" · ") || null, who: `${actor} · ${e.subjectType} · entry #${String(e.seq)}` };
}

/** Rows of one log written at the same instant (a run over the cohort's reports) read as one step. */
function groupTimeline(items: EventTimelineItem[]): EventTimelineItem[][] {
  const groups: EventTimelineItem[][] = [];
  for (const item of items) {
    const last = groups.at(-1)?.[0];
    if (last && item.kind === "machine" && last.kind === "machine" && last.log === item.log && last.at === item.at) groups.at(-1)!.push(item);
    else groups.push([item]);
  }
  return groups;
}

/**
 * One minority event as of an instant: the machine's causes beside the analyst's decision,
 * stores and retailers (14 aligned, the rest counted), actual vs baseline, and its log rows
 * and human actions in time order: the latest steps, every step with `?steps=all`. A past
 * instant is read-only.
 */
export default async function EventPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const actor = await requirePageUser("events:read");
  const { eventId } = await params;
  const { asOf, steps } = await searchParams;
  let detail;
  try {
    detail = await getEventDetail(actor, eventId, asOf ?? null);
  } catch (error) {
    if (error instanceof NotFoundError && !asOf) notFound();
    if (error instanceof NotFoundError || error instanceof BadRequestError) {
      return (
        <div className="space-y-4">
          <Link href={`/events/${eventId}`} className="text-sm text-sky-700 hover:underline">
            ← Now
          </Link>
          <EmptyState title="Nothing to show at that instant">{error.message}</EmptyState>
        </div>
      );
    }
    throw error;
  }
  const { view, event, reports, timeline, ledgerVersion } = detail;
  const lead = reports.find((r) => r.reportId === event.confidenceReportId) ?? reports[0];
  const stores = alignedStores(event);
  const causes = lead
    ? ([1, 2, 3] as const).flatMap((n) => {
        const category = lead[`causeCategory_${n}` as keyof HydratedReport] as CauseCategory | null;
        return category === null ? [] : [{ n, text: causeText(category, lead[`causeLabel_${n}` as keyof HydratedReport] as string | null), confidence: lead[`confidence_${n}` as keyof HydratedReport] as number | null }];
      })
    : [];
  const backHref = view.past ? `/events?asOf=${encodeURIComponent(view.asOf)}` : "/events";
  const groups = groupTimeline(timeline);
  const shownGroups = steps === "all" ? groups : groups.slice(-TIMELINE_LATEST);
  const earlierSteps = groups.length - shownGroups.length;
  const stepsHref = (all: boolean) => `/events/${event.eventId}?${new URLSearchParams({ ...(view.past ? { asOf: view.asOf } : {}), ...(all ? { steps: "all" } : {}) }).toString()}`;

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href={backHref} className="text-sky-700 hover:underline dark:text-sky-400">
          ← Minority events
        </Link>
      </nav>
      <header className="flex flex-wrap items-center gap-3 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <h1 className="font-mono text-xl font-semibold">{event.reportGroupId}</h1>
        <span className="font-mono text-xs text-zinc-500">{event.eventId}</span>
        <Badge tone={STATUS_TONE[event.status] ?? "neutral"}>{event.status}</Badge>
        {event.outcome ? <Badge tone="green">{event.outcome}</Badge> : null}
        <Badge tone={event.priority === "high" ? "red" : event.priority === "medium" ? "amber" : "neutral"}>priority {event.priority}</Badge>
        {event.confidenceTier ? <Badge tone="indigo">{event.confidenceTier} confidence</Badge> : null}
        {event.isDegraded ? <span className="rounded border border-dashed border-zinc-400 px-1.5 py-0.5 text-xs text-zinc-600">degraded</span> : null}
        {event.autoConfirmed ? <Badge tone="violet">auto-confirmed</Badge> : null}
      </header>
      <div className="flex flex-wrap items-center justify-between gap-3">
        {view.past ? (
          <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-1.5 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200">
            As of <strong>{formatUtc(view.asOf)}</strong> — read-only replay
          </p>
        ) : (
          <span />
        )}
        <AsOfPicker key={view.asOf} asOf={view.asOf} past={view.past} />
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="grid gap-4 xl:grid-cols-2">
          <Panel title="Cause: machine said / analyst decided">
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <h3 className="text-xs font-medium uppercase text-zinc-500">Machine</h3>
                {causes.length === 0 ? (
                  <p className="text-sm">{missing}</p>
                ) : (
                  <ol className="mt-1 space-y-1 text-sm">
                    {causes.map((c) => (
                      <li key={c.n} data-testid={`machine-cause-${c.n}`}>
                        <span className="text-zinc-500">{c.n}.</span> {c.text} <span className="tabular font-medium">{c.confidence === null ? "—" : c.confidence.toFixed(2)}</span>
                      </li>
                    ))}
                  </ol>
                )}
                {lead?.narrative ? <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">{lead.narrative}</p> : null}
                {lead && lead.machineEvidence.length > 0 ? (
                  <ul className="mt-2 space-y-0.5 text-xs">
                    {lead.machineEvidence.map((ev, i) => (
                      <li key={i}>{ev.kind === "link" ? <a className="text-sky-700 hover:underline" href={ev.url}>{ev.title ?? ev.url}</a> : <q>{ev.text}</q>}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
              <div>
                <h3 className="text-xs font-medium uppercase text-zinc-500">Analyst</h3>
                {event.analystCauseCategory ? (
                  <p className="mt-1 text-sm" data-testid="analyst-cause">
                    {causeText(event.analystCauseCategory, event.analystCauseLabel)} · {event.analystAction}
                  </p>
                ) : (
                  <p className="mt-1 text-sm text-zinc-500">Not decided yet.</p>
                )}
                {event.decidedAt && event.decidedByType === "system" ? (
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">By the system (weekend mode), not a person: see below.</p>
                ) : (
                  <>
                    {event.reasonText ? <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{event.reasonText}</p> : null}
                    {event.decidedAt ? (
                      <p className="mt-1 text-xs text-zinc-500" data-testid="decided-by">
                        by {event.decidedByRole === "lead" ? "a lead" : "an analyst"} · <Time value={event.decidedAt} />
                      </p>
                    ) : null}
                  </>
                )}
              </div>
            </div>
            {event.decidedAt && event.decidedByType === "system" ? (
              // Who decided and under what; the system's own words, with exact instants, are in the timeline.
              <div className="mt-3 border-t border-zinc-100 pt-2 dark:border-zinc-800" data-testid="decided-by">
                <p className="text-xs text-zinc-600 dark:text-zinc-400">Confirmed by the system: weekend mode, under the configuration in force when the event arrived.</p>
                <dl>
                  <Row label="rule">
                    <span className="font-mono text-xs">{event.decidedById}</span>
                  </Row>
                  <Row label="configuration">
                    <span className="font-mono text-xs">{event.decidedConfigVersion}</span>
                  </Row>
                  <Row label="confirmed">
                    <Time value={event.decidedAt} />
                  </Row>
                </dl>
              </div>
            ) : null}
          </Panel>

          <Panel title="Figures">
            <dl>
              {(
                [
                  ["confidence (event)", event.confidence === null ? missing : event.confidence.toFixed(2)],
                  ["reports · stores", `${event.reportCount} · ${event.distinctStoreCount}`],
                  ["window", event.windowStart ? `${formatUtc(event.windowStart)} → ${event.windowEnd ? formatUtc(event.windowEnd) : "open"}` : missing],
                  ["actual · baseline", event.actualSum === null ? missing : `${Math.round(event.actualSum).toLocaleString("en-US")} · ${Math.round(event.baselineSum ?? 0).toLocaleString("en-US")}`],
                  ["uplift", event.upliftSum === null ? missing : Math.round(event.upliftSum).toLocaleString("en-US")],
                  ["priority rule", event.priorityRule],
                ] as const
              ).map(([k, v]) => (
                <Row key={k} label={k}>
                  {v}
                </Row>
              ))}
            </dl>
          </Panel>

          <ImpactVectorPanel
            impact={impactVector({ causeCategory: event.causeCategory, outcome: event.outcome, uplift: event.upliftSum, baseline: event.baselineSum })}
            basis={`from the ${event.causeSource === "analyst" ? "decided" : "machine's"} cause: ${CAUSE_CATEGORY_LABELS[event.causeCategory].label}`}
          />

          <Panel title="Actual against baseline">
            <LazyUpliftChart rows={reports.map((r) => ({ store: r.storeId ?? r.reportId, baseline: r.baseline, actual: r.actual }))} />
          </Panel>

          <Panel title={`Stores and retailers (${event.reportCount})`}>
            <ol className="grid grid-cols-2 gap-x-4 gap-y-0.5 text-sm">
              {stores.map((s, i) =>
                s.storeId ? (
                  <li key={i} className="flex gap-2">
                    <span className="tabular w-5 text-right text-zinc-400">{i + 1}</span>
                    {reports[i] ? (
                      <Link href={`/events/reports/${reports.find((r) => r.storeId === s.storeId)?.reportId ?? ""}${view.past ? `?asOf=${encodeURIComponent(view.asOf)}` : ""}`} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400">
                        {s.storeId}
                      </Link>
                    ) : (
                      <span className="font-mono text-xs">{s.storeId}</span>
                    )}
                    <span className="text-xs text-zinc-500">{s.retailer ?? "—"}</span>
                  </li>
                ) : null,
              )}
            </ol>
            {event.overflowStoreCount > 0 ? <p className="mt-2 text-xs text-zinc-600">+ {event.overflowStoreCount} more stores beyond the 14 aligned columns (counted, not dropped).</p> : null}
          </Panel>

          <div className="xl:col-span-2">
            <Panel title={`Timeline (${groups.length} step${groups.length === 1 ? "" : "s"})`}>
              {groups.length > TIMELINE_LATEST ? (
                <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="timeline-bound">
                  {earlierSteps > 0 ? `The latest ${shownGroups.length}; ${earlierSteps} earlier step${earlierSteps === 1 ? "" : "s"} not shown.` : `All ${groups.length} steps.`}{" "}
                  <Link href={stepsHref(earlierSteps > 0)} scroll={false} className="text-sky-700 hover:underline dark:text-sky-400">
                    {earlierSteps > 0 ? `Show all ${groups.length}` : `Show the latest ${TIMELINE_LATEST} only`}
                  </Link>
                </p>
              ) : null}
              <ol aria-label="Event timeline" className="space-y-2.5 border-l border-zinc-200 pl-4 text-sm dark:border-zinc-800">
                {shownGroups.map((group, i) => {
                  const t = timelineText(group[0]!);
                  const more = group.length - 1;
                  return (
                    <li key={earlierSteps + i} className="relative">
                      <span aria-hidden className={`absolute top-1.5 -left-[21px] size-2.5 rounded-full border-2 border-white dark:border-zinc-900 ${group[0]!.kind === "human" ? "bg-indigo-500" : "bg-zinc-400"}`} />
                      <span className="text-xs text-zinc-500">{formatUtc(group[0]!.at)}</span>
                      <p className="font-medium">
                        {t.title}
                        {more > 0 ? <span className="font-normal text-zinc-500"> — and {more} more report{more === 1 ? "" : "s"}</span> : null}
                      </p>
                      {t.detail ? <p className="text-zinc-700 dark:text-zinc-300">{t.detail}</p> : null}
                      <p className="text-xs text-zinc-500">{t.who}</p>
                      {more > 0 ? (
                        <details className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                          <summary className="cursor-pointer">every row</summary>
                          <ul className="mt-1 space-y-0.5">
                            {group.map((item, j) => (
                              <li key={j}>
                                {timelineText(item).title} <span className="text-zinc-400">· {timelineText(item).who}</span>
                              </li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
            </Panel>
          </div>
        </div>
        {view.past || !hasPermission(actor.role, "events:decide") ? (
          <aside className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
            {view.past ? "A replay of the past is read-only. Go back to now to act." : "Your role can read events but not decide them."}
          </aside>
        ) : (
          <SubjectActions
            key={ledgerVersion}
            subject={{ type: "event", id: event.eventId }}
            status={event.status}
            ledgerVersion={ledgerVersion}
            machineCause={event.machineCauseLabel ?? CAUSE_CATEGORY_LABELS[event.machineCauseCategory].label}
            canFinalise={hasPermission(actor.role, "events:finalise")}
          />
        )}
      </div>
    </div>
  );
}
