import type { Metadata } from "next";
import Link from "next/link";
import { LazyDriftPsiChart, LazyRiskCoverageChart, LazyRoutingDailyChart } from "@/components/charts/lazy-charts";
import { CsvLink } from "@/components/data-table/states";
import { BadWindow, Fact, FigureAlerts, FigureSection, NUM, pct, WindowForm } from "@/components/governance/figures";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { CONFIDENCE_BAND, routingHealth, type RoutingDay } from "@/lib/data/routing-health";
import { codeFigureRows, type RoutingQuality } from "@/lib/gating/routing-quality";
import { MIN_RESULTS_FOR_DRIFT, PSI_MODERATE, PSI_SIGNIFICANT } from "@/lib/governance/drift";
import { DAY_WINDOW_CHOICES, parseDays } from "@/lib/governance/window";

export const metadata: Metadata = { title: "Routing health" };

const count = (n: number) => n.toLocaleString("en-US");
const DRIFT_TONE = { stable: "green", moderate: "amber", significant: "red" } as const;
const share = (a: number, b: number) => (b > 0 ? a / b : null);

function outOfBand(d: RoutingDay): boolean {
  if (!d.fragileBand || d.results === 0) return false;
  const s = d.fragile / d.results;
  return s < d.fragileBand.low || s > d.fragileBand.high;
}

/** §11 per reason and per flag: what each sends to a person, and the errors only it catches. */
function CodeFiguresTable({ q, canSeeQueue }: { q: RoutingQuality; canSeeQueue: boolean }) {
  const rows = codeFigureRows(q).filter((r) => r.figures.records > 0);
  return (
    <div className="2xl:col-span-2">
      <Table label="Errors by reason and flag">
        <thead>
          <tr>
            <Th>Reason or flag</Th>
            <Th className="text-right">Labelled records</Th>
            <Th className="text-right">Sent to audit</Th>
            <Th className="text-right">Model errors</Th>
            <Th className="text-right">Errors caught</Th>
            <Th className="text-right">Caught by it alone</Th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <Td colSpan={6} className="text-zinc-500">
                No labelled record carries a reason or a flag in this window.
              </Td>
            </tr>
          ) : (
            rows.map(({ kind, code, figures: f }) => (
              <tr key={`${kind}-${code}`} data-testid={`quality-${kind}-${code}`}>
                <Td>
                  {canSeeQueue ? (
                    <Link prefetch={false} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400" href={`/queue?status=decided&${kind}=${code}`}>
                      {code}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs">{code}</span>
                  )}{" "}
                  <span className="text-xs text-zinc-500">{kind}</span>
                </Td>
                <Td className={NUM}>{count(f.records)}</Td>
                <Td className={NUM}>{count(f.audited)}</Td>
                <Td className={NUM}>{count(f.errors)}</Td>
                <Td className={NUM}>{count(f.caught)}</Td>
                <Td className={NUM}>{f.caughtAlone === null ? "—" : count(f.caughtAlone)}</Td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
    </div>
  );
}

export default async function RoutingHealthPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("dashboards:read");
  const parsed = parseDays((await searchParams).days);
  const header = (
    <PageHeader
      title="Routing health"
      description="Is the gate routing as designed, and does it send the model's errors to a person? Daily shares from every gating result; routing quality (gating spec §11) on labelled records: label feedback first, else the analysts' final decision (docs/labels.md)."
      actions={parsed.ok ? <CsvLink href={`/governance/routing/export?days=${parsed.value}`} label="Download CSV (by day)" /> : undefined}
    />
  );
  if (!parsed.ok) return <BadWindow header={header} param="days" message={parsed.message} href="/governance/routing" action="Open the last 28 days" />;
  const health = await routingHealth(actor, { days: parsed.value });
  const { total, quality, policy } = health;
  const q = quality.figures;
  const canaryReleased = total.canaryAuto > 0 || health.canaries.some((c) => c.route === "auto");
  const boundOver = q !== null && q.released > 0 && q.releasedErrorUpper > policy.targetReleaseError;
  const daysOut = health.series.filter(outOfBand);
  const canSeeQueue = actorCan(actor, "queue:read");
  const alerts = [
    canaryReleased ? "A canary was released automatically." : null,
    total.singleFragileAuto > 0 ? `${total.singleFragileAuto} fragile record(s) in batches of one were released automatically (target 0).` : null,
    boundOver ? `The released error rate's upper bound (${pct(q!.releasedErrorUpper)}) is over the target (${pct(policy.targetReleaseError)}).` : null,
    ...health.drift.variables.filter((v) => v.window.level === "significant").map((v) => `${v.variable} drifted significantly from the reference data (PSI ${v.window.psi!.toFixed(3)}).`),
    daysOut.length > 0 ? `The fragile share was outside its expected band on ${daysOut.length} day(s): ${daysOut.map((d) => d.day).join(", ")}.` : null,
  ].filter((a): a is string => a !== null);

  return (
    <div className="space-y-6">
      {header}
      <WindowForm
        action="/governance/routing"
        name="days"
        unit="day"
        value={health.days}
        choices={DAY_WINDOW_CHOICES}
        note={
          <>
            From {health.from} (UTC) to now · active policy <span className="font-mono">{policy.id}</span>
          </>
        }
      />

      <FigureAlerts label="Routing alerts" alerts={alerts} />

      {total.results === 0 ? (
        <EmptyState title={`Nothing was gated in the last ${health.days} day${health.days === 1 ? "" : "s"}`}>
          Each ingested batch is counted here as it is gated; a wider window may show older batches.
        </EmptyState>
      ) : (
        <>
          <section aria-label="Shares" className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
            <Fact label="Audit share" value={pct(share(total.audit, total.results))} hint={`${total.audit.toLocaleString("en-US")} of ${total.results.toLocaleString("en-US")} results`} />
            <Fact
              label="Fragile share"
              value={pct(share(total.fragile, total.results))}
              hint={`expected ${pct(policy.expectedFragileShare)}; ${daysOut.length} day(s) out of band`}
              tone={daysOut.length > 0 ? "bad" : undefined}
            />
            <Fact label="Batch hold rate" value={pct(share(total.heldBatches, total.batches))} hint={`${total.heldBatches} of ${total.batches} batches held`} />
            <Fact label="Caps trigger rate" value={pct(share(total.caps, total.results), 2)} hint="results with CAPS_TRIGGERED" />
            <Fact
              label="n = 1 auto-released"
              value={pct(share(total.singleAuto, total.single))}
              hint={
                <>
                  fragile: {total.singleFragileAuto} of {total.singleFragile} (target 0)
                </>
              }
              tone={total.singleFragileAuto > 0 ? "bad" : undefined}
            />
            <Fact
              label="Canaries released"
              value={total.canaryAuto + health.canaries.filter((c) => c.route === "auto").length}
              hint={canaryReleased ? "a canary was released automatically" : `none; ${total.canary.toLocaleString("en-US")} canary results sent to audit`}
              tone={canaryReleased ? "bad" : "good"}
            />
          </section>

          <FigureSection
            title="Routing quality on labelled records"
            actions={q ? <CsvLink href={`/governance/routing/export?days=${health.days}&table=quality`} label="Quality CSV (by reason and flag)" /> : undefined}
            note={
              <>
                {quality.labelled.feedback.toLocaleString("en-US")} current results of the window labelled by feedback, {quality.labelled.decision.toLocaleString("en-US")} by an
                analyst&apos;s decision only; {quality.labelled.disputed} disputed (sources disagree) left out. An error: the machine label differs from the truth. The
                uncertainty baseline audits the same number of records, least confident first (confidence known to {CONFIDENCE_BAND}).
              </>
            }
          >
            {q === null ? (
              <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">
                No labelled record in this window yet: figures appear as label feedback arrives (POST /api/v1/labels) or analysts decide queued records.
              </p>
            ) : (
              <div className="grid gap-4 2xl:grid-cols-[3fr_2fr]">
                <Table label="Routing quality">
                  <thead>
                    <tr>
                      <Th>Figure</Th>
                      <Th className="text-right">Policy</Th>
                      <Th className="text-right">Uncertainty baseline</Th>
                      <Th className="text-right">Oracle</Th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <Td>Labelled records · model errors</Td>
                      <Td className={NUM} colSpan={3}>
                        {q.records.toLocaleString("en-US")} · {q.errors.toLocaleString("en-US")} ({pct(q.baseErrorRate)})
                      </Td>
                    </tr>
                    <tr>
                      <Td>Audit share</Td>
                      <Td className={NUM}>{pct(q.auditShare)}</Td>
                      <Td className={NUM}>{pct(q.auditShare)}</Td>
                      <Td className={NUM}>{pct(q.auditShare)}</Td>
                    </tr>
                    <tr data-testid="error-capture">
                      <Td>Error capture (errors sent to audit)</Td>
                      <Td className={`${NUM} font-semibold`}>{pct(q.errorCapture)}</Td>
                      <Td className={NUM}>{pct(q.baseline.errorCapture)}</Td>
                      <Td className={NUM}>{pct(q.oracle.errorCapture)}</Td>
                    </tr>
                    <tr>
                      <Td>Lift (capture / audit share)</Td>
                      <Td className={NUM} colSpan={3}>
                        {q.lift === null ? "—" : q.lift.toFixed(2)}
                      </Td>
                    </tr>
                    <tr data-testid="released-error">
                      <Td>Released error rate (95 % upper bound)</Td>
                      <Td className={NUM}>
                        {pct(q.releasedErrorRate)} ({pct(q.releasedErrorUpper)}){" "}
                        <Badge tone={boundOver ? "red" : "green"} className="whitespace-nowrap">
                          {boundOver ? "over" : "within"} target {pct(policy.targetReleaseError)}
                        </Badge>
                      </Td>
                      <Td className={NUM}>{pct(q.baseline.releasedErrorRate)}</Td>
                      <Td className={NUM}>—</Td>
                    </tr>
                  </tbody>
                </Table>
                <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
                  <LazyRiskCoverageChart curve={[...q.riskCoverage]} point={q.operatingPoint} />
                </div>
                <CodeFiguresTable q={q} canSeeQueue={canSeeQueue} />
              </div>
            )}
          </FigureSection>

          <FigureSection
            title="Drift against the reference data"
            id="drift"
            note={
              <>
                pModel and each spend channel of the window&apos;s results against {health.drift.reference.description} ({count(health.drift.reference.rows)} rows), in
                fixed bins (pModel by 0.05; spends missing, zero, then by half-decades). PSI counts a missing spend as a bin of its own; KS compares the values present. PSI
                under {PSI_MODERATE} is stable, from {PSI_SIGNIFICANT} significant (an alert for a day); a window or day with fewer than {MIN_RESULTS_FOR_DRIFT} results is not judged.
              </>
            }
            actions={<CsvLink href={`/governance/routing/export?days=${health.days}&table=drift`} label="Drift CSV (by day)" />}
          >
            <div className="grid gap-4 2xl:grid-cols-[2fr_3fr]">
              <Table label="Drift by variable">
                <thead>
                  <tr>
                    <Th>Variable</Th>
                    <Th className="text-right">Results</Th>
                    <Th className="text-right">Missing (reference → window)</Th>
                    <Th className="text-right">PSI</Th>
                    <Th className="text-right">KS</Th>
                    <Th className="text-right">Days significant</Th>
                  </tr>
                </thead>
                <tbody>
                  {health.drift.variables.map((v) => (
                    <tr key={v.variable} data-testid={`drift-${v.variable}`}>
                      <Td className="font-mono">{v.variable}</Td>
                      <Td className={NUM}>{count(v.window.n)}</Td>
                      <Td className={NUM}>
                        {pct(v.window.referenceMissingShare)} → {pct(v.window.missingShare)}
                      </Td>
                      <Td className={NUM}>
                        {v.window.psi === null ? "—" : v.window.psi.toFixed(3)} {v.window.level ? <Badge tone={DRIFT_TONE[v.window.level]}>{v.window.level}</Badge> : null}
                      </Td>
                      <Td className={NUM}>{v.window.ks === null ? "—" : v.window.ks.toFixed(3)}</Td>
                      <Td className={NUM}>{v.days.filter((d) => d.level === "significant").length}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
                <LazyDriftPsiChart series={health.drift.variables.map((v) => ({ variable: v.variable, days: v.days }))} moderate={PSI_MODERATE} significant={PSI_SIGNIFICANT} />
              </div>
            </div>
          </FigureSection>

          <FigureSection title="By day" note="Shares of each day's gating results; the fragile share against the 95 % binomial band of its expected rate for that day's count.">
            <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
              <LazyRoutingDailyChart
                points={health.series.map((d) => ({
                  day: d.day,
                  auditShare: share(d.audit, d.results),
                  fragileShare: share(d.fragile, d.results),
                  band: d.fragileBand ? [d.fragileBand.low, d.fragileBand.high] : null,
                }))}
              />
            </div>
            <Table label="By day">
              <thead>
                <tr>
                  <Th>Day (UTC)</Th>
                  <Th className="text-right">Results</Th>
                  <Th className="text-right">Audit</Th>
                  <Th className="text-right">Fragile (band)</Th>
                  <Th className="text-right">Held batches</Th>
                  <Th className="text-right">Caps</Th>
                  <Th className="text-right">n = 1 (auto)</Th>
                </tr>
              </thead>
              <tbody>
                {[...health.series]
                  .reverse()
                  .filter((d) => d.results > 0 || d.batches > 0)
                  .map((d) => (
                    <tr key={d.day} data-testid={`routing-day-${d.day}`}>
                      <Td className="tabular">{d.day}</Td>
                      <Td className={NUM}>{d.results.toLocaleString("en-US")}</Td>
                      <Td className={NUM}>{pct(share(d.audit, d.results))}</Td>
                      <Td className={NUM}>
                        {pct(share(d.fragile, d.results))}{" "}
                        <span className="text-xs text-zinc-500">
                          ({pct(d.fragileBand?.low)}–{pct(d.fragileBand?.high)})
                        </span>{" "}
                        {outOfBand(d) ? <Badge tone="red">out of band</Badge> : null}
                      </Td>
                      <Td className={NUM}>
                        {canSeeQueue && d.heldBatches > 0 ? (
                          <Link prefetch={false} className="text-sky-700 hover:underline dark:text-sky-400" href="/queue?reason=BATCH_HOLD">
                            {d.heldBatches} of {d.batches}
                          </Link>
                        ) : (
                          `${d.heldBatches} of ${d.batches}`
                        )}
                      </Td>
                      <Td className={NUM}>{d.caps}</Td>
                      <Td className={NUM}>
                        {d.single} ({d.singleAuto})
                      </Td>
                    </tr>
                  ))}
              </tbody>
            </Table>
          </FigureSection>

          <FigureSection title="Canaries of the active policy" note="Records the policy names as canaries always go to a person; one released automatically is an alert.">
            <Table label="Canaries">
              <thead>
                <tr>
                  <Th>Record</Th>
                  <Th>Current route</Th>
                  <Th>Version</Th>
                  <Th>Gated (UTC)</Th>
                </tr>
              </thead>
              <tbody>
                {health.canaries.map((c) => (
                  <tr key={c.recordId} data-testid={`canary-${c.recordId}`}>
                    <Td className="font-mono">
                      {canSeeQueue && c.route ? (
                        <Link prefetch={false} className="text-sky-700 hover:underline dark:text-sky-400" href={`/queue/${encodeURIComponent(c.recordId)}`}>
                          {c.recordId}
                        </Link>
                      ) : (
                        c.recordId
                      )}
                    </Td>
                    <Td>{c.route === null ? <span className="text-zinc-500">not ingested</span> : <Badge tone={c.route === "audit" ? "green" : "red"}>{c.route}</Badge>}</Td>
                    <Td className="tabular">{c.version ?? "—"}</Td>
                    <Td className="tabular">{c.gatedAt ? c.gatedAt.slice(0, 16).replace("T", " ") : "—"}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </FigureSection>
        </>
      )}
    </div>
  );
}
