import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { LazyAttributionDriftChart, LazyStageCoverageChart } from "@/components/charts/lazy-charts";
import { CsvLink } from "@/components/data-table/states";
import { BadWindow, Fact, FigureAlerts, FigureSection, NUM, pct, WindowForm } from "@/components/governance/figures";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { eventPipelineGovernance, type StageHealth } from "@/lib/data/events/governance";
import {
  durationLabel,
  EVENT_PIPELINE_PARAMS,
  LATENCY_EDGES_SECONDS,
  latencyLabel,
  NOT_YET_BUCKET,
  PIPELINE_STAGE_LABELS,
  STAGE_TARGET,
  unknownParam,
  type EventPipelineTable,
} from "@/lib/governance/event-pipeline";
import { DAY_WINDOW_CHOICES, parseDays } from "@/lib/governance/window";
import { CAUSE_CATEGORIES, CAUSE_CATEGORY_LABELS, PRIORITY_LABELS } from "@/lib/mrs/taxonomy";

export const metadata: Metadata = { title: "Event pipeline" };

const LINK = "text-sky-700 hover:underline dark:text-sky-400";
const PANEL = "rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900";
const count = (n: number) => n.toLocaleString("en-US");
const share = (a: number, b: number) => (b > 0 ? a / b : null);
const Missing = ({ children = "missing" }: { children?: ReactNode }) => <span className="text-zinc-400 italic dark:text-zinc-500">{children}</span>;

function p95Label(p95: StageHealth["figures"]["p95"]): ReactNode {
  if (p95 === null) return <Missing />;
  if (p95 === "not-yet") return <span title="more than 5 % of the reports have not reached this stage">not reached</span>;
  if (p95 === "over") return `> ${latencyLabel(LATENCY_EDGES_SECONDS[LATENCY_EDGES_SECONDS.length - 1]!)}`;
  return `≤ ${latencyLabel(p95)}`;
}

function SloBadge({ ok, what }: { ok: boolean | null; what: string }) {
  if (ok === null) return <Badge tone="neutral">no data</Badge>;
  return (
    <Badge tone={ok ? "green" : "red"} className="whitespace-nowrap" title={`${what} ${ok ? "meets" : "breaches"} its SLO`}>
      {ok ? "within SLO" : "breach"}
    </Badge>
  );
}

export default async function EventPipelinePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("dashboards:read");
  const params = await searchParams;
  const parsed = parseDays(params.days);
  const unknown = unknownParam(Object.keys(params), EVENT_PIPELINE_PARAMS);
  const csv = (table: EventPipelineTable) => `/governance/events/export?days=${parsed.ok ? parsed.value : ""}&table=${table}`;
  const header = (
    <PageHeader
      title="Event pipeline"
      description="Is the minority-event pipeline on time and complete? Per stage, freshness and coverage against the SLOs (spec §9), the ingest error rate, attribution drift and events left open past their SLA."
      actions={parsed.ok && unknown === null ? <CsvLink href={csv("days")} label="Download CSV (by day)" /> : undefined}
    />
  );
  if (unknown !== null) return <BadWindow header={header} param={unknown} message="is not a parameter of this view (only days)" href="/governance/events" action="Open the last 28 days" />;
  if (!parsed.ok) return <BadWindow header={header} param="days" message={parsed.message} href="/governance/events" action="Open the last 28 days" />;
  const g = await eventPipelineGovernance(actor, { days: parsed.value });
  const canSeeEvents = actorCan(actor, "events:read");
  const reports = g.stages[0]!.figures.reports;
  const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? "" : "s"}`;

  const alerts = [
    ...g.stages.filter((s) => s.freshnessMeetsSlo === false).map((s) => `The ${s.log} log's newest row is ${durationLabel(s.freshnessSeconds!)} old (SLO ${latencyLabel(s.sloSeconds)}).`),
    ...g.stages
      .filter((s) => s.figures.meetsSlo === false)
      .map((s) => `${PIPELINE_STAGE_LABELS[s.stage].label}: ${pct(s.figures.coverage)} of reports within ${latencyLabel(s.sloSeconds)} (target ${pct(STAGE_TARGET, 0)}).`),
    g.ingest.meetsSlo === false ? `The ingest error rate is ${pct(g.ingest.errorRate, 2)} (SLO below ${pct(g.ingest.slo, 0)}).` : null,
    g.stale.events.length > 0 ? `${plural(g.stale.events.length, "event")} open longer than ${g.stale.slaHours} h.` : null,
  ].filter((a): a is string => a !== null);

  return (
    <div className="space-y-8">
      <div className="space-y-6">
        {header}
        <WindowForm
          action="/governance/events"
          name="days"
          unit="day"
          value={g.days}
          choices={DAY_WINDOW_CHOICES}
          note={<>From {g.from} (UTC) to now · reports by the day their detection was recorded, proposals and ingests by the day they arrived</>}
        />
        <FigureAlerts label="Pipeline alerts" alerts={alerts} />

        <section aria-label="Headline figures" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Fact
            label="Reports detected"
            value={<a download className="hover:underline" href={csv("reports")} title="Download the reports counted (CSV)">{count(reports)}</a>}
            hint={`in the last ${plural(g.days, "day")}`}
          />
          <Fact
            label="Ingest error rate"
            value={<a download className="hover:underline" href={csv("days")} title="Download rows received and rejected by day (CSV)">{pct(g.ingest.errorRate, 2)}</a>}
            hint={g.ingest.received > 0 ? `${count(g.ingest.rejected)} of ${count(g.ingest.received)} rows rejected · SLO\u00a0<\u00a0${pct(g.ingest.slo, 0).replace(" ", "\u00a0")}` : "no row sent in this window"}
            tone={g.ingest.meetsSlo === false ? "bad" : g.ingest.meetsSlo ? "good" : undefined}
          />
          <Fact
            label="Mean machine confidence"
            value={<a className="hover:underline" href="#drift">{g.drift.total.meanConfidence === null ? "—" : g.drift.total.meanConfidence.toFixed(3)}</a>}
            hint={g.drift.total.proposals > 0 ? `${plural(g.drift.total.proposals, "proposal")}, ${count(g.drift.total.confident)} with a confidence` : "no attribution in this window"}
          />
          <Fact
            label={`Open > ${g.stale.slaHours} h`}
            value={<a className="hover:underline" href="#stale">{count(g.stale.events.length)}</a>}
            hint={g.stale.events.length > 0 ? "stale events, as of now" : "no stale event"}
            tone={g.stale.events.length > 0 ? "bad" : "good"}
          />
        </section>

        <FigureSection
          title="Stages against their SLOs"
          note={
            <>
              Freshness: now − the log&apos;s newest writtenAt. Coverage: the window&apos;s detected reports whose stage landed within its SLO (detection: written → recorded here;
              clustering and attribution: from detection to the first row with a cluster id or a confidence). p95 is read from a latency histogram with fixed bucket edges
              (1, 5, 15, 30 min, 1, 2, 4, 8, 24, 72 h), so it is the edge the 95th percentile does not exceed; reports still waiting for a stage count as not reached.
            </>
          }
          actions={<CsvLink href={csv("reports")} label="Download CSV (reports)" />}
        >
          <Table label="Stages">
            <thead>
              <tr>
                <Th>Stage</Th>
                <Th className="text-right">SLO</Th>
                <Th className="text-right">Freshness</Th>
                <Th className="text-right">Reports</Th>
                <Th className="text-right">Reached</Th>
                <Th className="text-right">Within SLO</Th>
                <Th className="text-right">p95 latency</Th>
              </tr>
            </thead>
            <tbody>
              {g.stages.map((s) => {
                const f = s.figures;
                return (
                  <tr key={s.stage} data-testid={`stage-${s.stage}`}>
                    <Td className="min-w-44">
                      <span className="font-medium">{PIPELINE_STAGE_LABELS[s.stage].label}</span>
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">{PIPELINE_STAGE_LABELS[s.stage].latency}</span>
                    </Td>
                    <Td className={NUM}>≤ {latencyLabel(s.sloSeconds)}</Td>
                    <Td className={NUM}>
                      {s.freshnessSeconds === null ? (
                        <Missing>no row yet</Missing>
                      ) : (
                        <span className="inline-flex flex-col items-end gap-0.5">
                          <span title={`newest ${s.log} row written ${new Date(Date.parse(g.now) - s.freshnessSeconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`}>{durationLabel(s.freshnessSeconds)}</span>
                          <SloBadge ok={s.freshnessMeetsSlo} what="Freshness" />
                        </span>
                      )}
                    </Td>
                    <Td className={NUM}>
                      <a download className={LINK} href={csv("reports")} title="Download the reports counted, with each stage's latency (CSV)">
                        {count(f.reports)}
                      </a>
                    </Td>
                    <Td className={NUM}>{count(f.done)}</Td>
                    <Td className={NUM}>
                      {pct(f.coverage)} <span className="text-xs text-zinc-500">({count(f.withinSlo)})</span>
                    </Td>
                    <Td className={NUM}>
                      <span className="inline-flex flex-col items-end gap-0.5">
                        <span>{p95Label(f.p95)}</span>
                        <SloBadge ok={f.meetsSlo} what="p95 latency" />
                      </span>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
          {reports === 0 ? (
            <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">
              No report was detected in the last {plural(g.days, "day")}. Coverage and p95 appear as detected rows arrive (POST /api/v1/events/logs/detected) and fill in as their
              clustered and attribution rows follow; a wider window may show older reports.
            </p>
          ) : null}
        </FigureSection>

        {reports > 0 ? (
          <FigureSection title="Latency histogram" note="Reports per latency bucket and stage in the window; a bucket holds latencies above the previous edge up to its own." actions={<CsvLink href={csv("latency")} label="Download CSV" />}>
            <Table label="Latency histogram">
              <thead>
                <tr>
                  <Th>Latency</Th>
                  {g.stages.map((s) => (
                    <Th key={s.stage} className="text-right">
                      {PIPELINE_STAGE_LABELS[s.stage].label}
                    </Th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {g.stages[0]!.histogram.map((h, i) => (
                  <tr key={h.bucket} className={h.bucket === NOT_YET_BUCKET ? "text-zinc-500" : undefined}>
                    <Td className="tabular whitespace-nowrap">{h.bucket === NOT_YET_BUCKET ? "not yet (or failed)" : h.upTo === null ? `> ${latencyLabel(LATENCY_EDGES_SECONDS[LATENCY_EDGES_SECONDS.length - 1]!)}` : `≤ ${latencyLabel(h.upTo)}`}</Td>
                    {g.stages.map((s) => {
                      const n = s.histogram[i]!.reports;
                      const inSlo = h.upTo !== null && h.upTo <= s.sloSeconds && h.bucket !== NOT_YET_BUCKET;
                      return (
                        <Td key={s.stage} className={`${NUM} ${n === 0 ? "text-zinc-400 dark:text-zinc-600" : inSlo ? "" : "text-amber-700 dark:text-amber-400"}`}>
                          {count(n)}
                        </Td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </Table>
          </FigureSection>
        ) : null}
      </div>

      {g.series.length > 0 ? (
        <FigureSection title="By day" note="Each day's reports within each stage's SLO, against the 95 % target, and the rows the ingest received and rejected that day." actions={<CsvLink href={csv("days")} label="Download CSV" />}>
          {reports > 0 ? (
            <div className={PANEL}>
              <LazyStageCoverageChart
                points={g.series
                  .filter((d) => d.reports > 0)
                  .map((d) => ({ day: d.day, detection: share(d.withinSlo.detection, d.reports), clustering: share(d.withinSlo.clustering, d.reports), attribution: share(d.withinSlo.attribution, d.reports) }))}
              />
            </div>
          ) : null}
          <Table label="By day">
            <thead>
              <tr>
                <Th>Day (UTC)</Th>
                <Th className="text-right">Reports</Th>
                <Th className="text-right">Detection ≤ 30 min</Th>
                <Th className="text-right">Clustering ≤ 30 min</Th>
                <Th className="text-right">Attribution ≤ 4 h</Th>
                <Th className="text-right">Rows received</Th>
                <Th className="text-right">Rejected</Th>
              </tr>
            </thead>
            <tbody>
              {[...g.series].reverse().map((d) => (
                <tr key={d.day} data-testid={`pipeline-day-${d.day}`}>
                  <Td className="tabular">{d.day}</Td>
                  <Td className={NUM}>{count(d.reports)}</Td>
                  <Td className={NUM}>{pct(share(d.withinSlo.detection, d.reports))}</Td>
                  <Td className={NUM}>{pct(share(d.withinSlo.clustering, d.reports))}</Td>
                  <Td className={NUM}>{pct(share(d.withinSlo.attribution, d.reports))}</Td>
                  <Td className={NUM}>{count(d.received)}</Td>
                  <Td className={NUM}>
                    {count(d.rejected)} <span className="text-xs text-zinc-500">({pct(share(d.rejected, d.received), 2)})</span>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </FigureSection>
      ) : null}

      <div id="drift" className="scroll-mt-4">
        <FigureSection
          title="Attribution drift"
          note="The machine's proposals (every attribution run and refresh) by the day they arrived: the mix of their first cause and the mean confidence of those with one. A shift in the mix or a sliding confidence is drift worth a look."
          actions={g.drift.days.length > 0 ? <CsvLink href={csv("drift")} label="Download CSV" /> : undefined}
        >
          {g.drift.days.length === 0 ? (
            <EmptyState title={`No attribution arrived in the last ${plural(g.days, "day")}`}>
              The cause mix and mean confidence appear per day as attribution rows arrive (POST /api/v1/events/logs/attribution); a wider window may show older proposals.
            </EmptyState>
          ) : (
            <>
              <div className={PANEL}>
                <LazyAttributionDriftChart points={g.drift.days.map((d) => ({ day: d.day, meanConfidence: d.meanConfidence, mix: d.mix }))} />
              </div>
              <Table label="Attribution drift">
                <thead>
                  <tr>
                    <Th>Day (UTC)</Th>
                    <Th className="text-right">Proposals</Th>
                    <Th className="text-right">Mean confidence</Th>
                    {CAUSE_CATEGORIES.filter((c) => (g.drift.total.mix[c] ?? 0) > 0).map((c) => (
                      <Th key={c} className="text-right" title={CAUSE_CATEGORY_LABELS[c].meaning}>
                        {canSeeEvents ? (
                          <Link prefetch={false} className={LINK} href={`/events?status=all&cause=${c}`}>
                            {CAUSE_CATEGORY_LABELS[c].label}
                          </Link>
                        ) : (
                          CAUSE_CATEGORY_LABELS[c].label
                        )}
                      </Th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...g.drift.days].reverse().map((d) => (
                    <tr key={d.day} data-testid={`drift-day-${d.day}`}>
                      <Td className="tabular">{d.day}</Td>
                      <Td className={NUM}>{count(d.proposals)}</Td>
                      <Td className={NUM}>{d.meanConfidence === null ? <Missing /> : d.meanConfidence.toFixed(3)}</Td>
                      {CAUSE_CATEGORIES.filter((c) => (g.drift.total.mix[c] ?? 0) > 0).map((c) => (
                        <Td key={c} className={NUM}>
                          {count(d.mix[c] ?? 0)} <span className="text-xs text-zinc-500">({pct(share(d.mix[c] ?? 0, d.proposals), 0)})</span>
                        </Td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </Table>
            </>
          )}
        </FigureSection>
      </div>

      <div id="stale" className="scroll-mt-4">
        <FigureSection
          title={`Stale events (open longer than ${g.stale.slaHours} h)`}
          note={`Events still open ${g.stale.slaHours} h after their first report's detection, or after their latest reopening, as of now (whatever the window).${canSeeEvents ? "" : " Opening an event needs events:read."}`}
          actions={g.stale.events.length > 0 ? <CsvLink href={csv("stale")} label="Download CSV" /> : undefined}
        >
          {g.stale.events.length === 0 ? (
            <EmptyState title="No event has been open too long">
              An event appears here when it is still open {g.stale.slaHours} h after its first detection or its latest reopening — confirm, override or finalise it to clear it.
            </EmptyState>
          ) : (
            <Table label="Stale events">
              <thead>
                <tr>
                  <Th>Event</Th>
                  <Th>Report group</Th>
                  <Th className="text-right">Reports</Th>
                  <Th>Open since (UTC)</Th>
                  <Th className="text-right">Open for</Th>
                  <Th>Machine cause</Th>
                  <Th className="text-right">Confidence</Th>
                  <Th>Priority</Th>
                </tr>
              </thead>
              <tbody>
                {g.stale.events.map((e) => (
                  <tr key={e.eventId} data-testid={`stale-${e.eventId}`}>
                    <Td className="font-mono">
                      {canSeeEvents ? (
                        <Link prefetch={false} className={LINK} href={`/events/${encodeURIComponent(e.eventId)}`}>
                          {e.eventId}
                        </Link>
                      ) : (
                        e.eventId
                      )}
                    </Td>
                    <Td className="font-mono">{e.reportGroupId}</Td>
                    <Td className={NUM}>{count(e.reportCount)}</Td>
                    <Td>
                      <Time value={e.openSince} zone={false} />
                    </Td>
                    <Td className={NUM}>{durationLabel(e.openHours * 3600)}</Td>
                    <Td>
                      {CAUSE_CATEGORY_LABELS[e.causeCategory].label}
                      {e.degraded ? (
                        <Badge tone="neutral" className="ml-2 border border-dashed">
                          degraded
                        </Badge>
                      ) : null}
                    </Td>
                    <Td className={NUM}>{e.confidence === null ? <Missing /> : e.confidence.toFixed(3)}</Td>
                    <Td>
                      <Badge tone={e.priority === "high" ? "red" : e.priority === "medium" ? "amber" : "neutral"}>{PRIORITY_LABELS[e.priority]}</Badge>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </FigureSection>
      </div>
    </div>
  );
}
