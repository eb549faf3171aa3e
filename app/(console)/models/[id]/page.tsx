import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { LazyCardReliabilityChart, LazyGainsChart, LazyPrequentialChart, LazyShiftGridChart } from "@/components/charts/lazy-charts";
import { PageHeader } from "@/components/layout/page-header";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { getModelCardDetail } from "@/lib/data/model-cards";
import { modelPromotions } from "@/lib/data/model-promotions";
import { gauntletVerdict, isBinaryMetrics, modelCardSchema, type ModelCard } from "@/lib/model-cards/card";
import { CardStatusBadge, GateBadge, metric, MetricChange, TASK_LABELS, versionLabel } from "../model-parts";
import { CardPrintHeader } from "./print-header";
import { PromotionActions, PromotionHistory } from "./promotion-section";
import "./print.css";

export const metadata: Metadata = { title: "Model card" };

const LINK = "text-sky-700 hover:underline dark:text-sky-400";
/** The lineage on paper lists the latest versions only (print.css lays the card out on two pages). */
const PRINTED_VERSIONS = 6;

/** A missing figure reads missing (ui.md), never 0 or blank. */
function Figure({ value, digits = 4 }: { value: number | null | undefined; digits?: number }) {
  if (value === null || value === undefined) return <span className="text-zinc-400 italic">missing</span>;
  return <span className="tabular">{value.toFixed(digits)}</span>;
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Where a curve's points come from; a synthesised one says so in words, not colour alone. */
function Source({ source, note }: { source: string | undefined; note?: string | null }) {
  if (source === "synthesised")
    return (
      <Badge tone="amber" title={note ?? "Synthesised for display: the source gives no figures for this."}>
        synthesised — not measured
      </Badge>
    );
  if (source === "from_source") return <Badge tone="neutral">from the source document</Badge>;
  if (source === "measured") return <Badge tone="green">measured</Badge>;
  return null;
}

/** Top-level fields the card carries that this console's schema does not know: kept, shown as sent. */
function extraFields(card: ModelCard): Record<string, unknown> {
  const known = new Set(Object.keys(modelCardSchema.options[0].shape));
  return Object.fromEntries(Object.entries(card).filter(([k]) => !known.has(k)));
}

export default async function ModelCardPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageUser("models:read");
  const { id } = await params;
  const { stored, versions, champion } = await getModelCardDetail(actor, id);
  const card = stored.card;
  const history = await modelPromotions(actor, card.model);
  const name = card.displayName ?? card.model;
  const verdict = gauntletVerdict(card);
  const { shiftGrid, permutation, reproducibility } = card.gauntlet;
  const validation = (card.metrics as { validation?: { auc?: unknown } }).validation;
  const validationAuc = typeof validation?.auc === "number" ? validation.auc : null;
  // A shift is in days unless the card says what it moves (an ordering without time, say).
  const shiftUnit = (shiftGrid as { unit?: unknown } | null)?.unit;
  const shiftUnitText = typeof shiftUnit === "string" ? shiftUnit : "days";
  const drift = champion && champion.card.features.signature !== card.features.signature ? champion : null;
  const extras = extraFields(card);
  const me = versions.find((v) => v.id === stored.id);

  return (
    <div className="space-y-4" data-print="card">
      <CardPrintHeader card={card} status={stored.status} name={name} gate={verdict.result} registeredAt={stored.registeredAt} />
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 print:hidden">
        <Link href="/models" className={LINK}>
          Model cards
        </Link>{" "}
        / {card.model}
      </nav>
      <PageHeader
        title={`${name} · ${versionLabel(card.version)}`}
        description={`${TASK_LABELS[card.task]} for ${card.domain}, by ${card.owner}. Registered ${stored.registeredAt.slice(0, 10)}; the card is append-only.`}
        actions={
          <div className="flex items-center gap-2 print:hidden">
            <CardStatusBadge status={stored.status} />
            <GateBadge result={verdict.result} />
            <Link href={`/models/compare?a=${stored.id}${champion ? `&b=${champion.id}` : ""}`} className="inline-flex h-9 items-center rounded-md border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
              {champion ? "Compare with the champion" : "Compare…"}
            </Link>
            <a href={`/models/${stored.id}/card.json`} download className="inline-flex h-9 items-center rounded-md border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
              Download JSON
            </a>
          </div>
        }
      />

      {drift ? (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Schema drift: this version&apos;s feature signature ({card.features.signature.slice(0, 12)}…, {card.features.count} features) differs from the champion&apos;s,{" "}
          <Link href={`/models/${drift.id}`} className={LINK}>
            {versionLabel(drift.card.version)}
          </Link>{" "}
          ({drift.card.features.signature.slice(0, 12)}…, {drift.card.features.count} features). Its inputs are not the champion&apos;s: check the scoring pipeline before promoting.
        </p>
      ) : null}

      <PromotionActions actor={actor} stored={stored} history={history} />

      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Identity">
          <Facts
            rows={[
              ["model", <span key="m" className="font-mono text-xs">{card.model}</span>],
              ["version", <span key="v" className="font-mono text-xs">{card.version}</span>],
              ["replaces", card.replaces ? <span className="font-mono text-xs">{card.replaces}</span> : <span className="text-zinc-400 italic">none</span>],
              ["created", <Time key="c" value={card.createdAt} />],
              ["training cutoff", card.trainingCutoff ?? <span className="text-zinc-400 italic">missing</span>],
              ["run id", <span key="r" className="font-mono text-xs">{card.runId}</span>],
              ["config hash", <span key="h" className="font-mono text-xs">{card.configHash}</span>],
              ["registered by", stored.tokenId ? <span className="font-mono text-xs">token {stored.tokenId.slice(0, 8)}…</span> : "the console"],
            ]}
          />
        </Panel>
        <Panel title="Data and validation">
          <Facts
            rows={[
              ["holdout", card.data.description ?? <span className="text-zinc-400 italic">not described</span>],
              ["train window", card.data.trainWindow ? `${card.data.trainWindow.from} – ${card.data.trainWindow.to}` : <span className="text-zinc-400 italic">missing</span>],
              ["holdout window", card.data.holdoutWindow ? `${card.data.holdoutWindow.from} – ${card.data.holdoutWindow.to}` : <span className="text-zinc-400 italic">missing</span>],
              [
                "cross-validation",
                card.data.cv ? `${card.data.cv.folds} folds${card.data.cv.groupKey ? ` by ${card.data.cv.groupKey}` : ""}${card.data.cv.purgeDays !== null ? `, purge ${card.data.cv.purgeDays} days` : ""}, seed ${card.data.cv.seed}` : <span className="text-zinc-400 italic">missing</span>,
              ],
              [
                "group overlap",
                card.data.groupOverlap === null ? (
                  <span className="text-zinc-400 italic">missing</span>
                ) : (
                  <span className={card.data.groupOverlap === 0 ? "" : "font-medium text-red-700 dark:text-red-400"}>
                    {card.data.groupOverlap === 0 ? "0 (no group in two splits)" : `${card.data.groupOverlap} groups in more than one split: leakage`}
                  </span>
                ),
              ],
              ["SAFE policy", card.safePolicy === null ? <span className="text-zinc-400 italic">not stated</span> : card.safePolicy ? "on (adjacency-risky features dropped)" : "off"],
            ]}
          />
        </Panel>
        <Panel title="Metrics on held-out data" aside={(card.metrics as { source?: string }).source ? <Source source={(card.metrics as { source?: string }).source} /> : undefined}>
          {isBinaryMetrics(card.metrics) ? (
            <Facts
              rows={[
                ["AUC", <Figure key="a" value={card.metrics.auc} />],
                ...(validationAuc === null ? [] : ([["AUC on validation", <Figure key="v" value={validationAuc} />]] as [string, ReactNode][])),
                ["PR-AUC", <Figure key="p" value={card.metrics.prAuc} />],
                ["Brier", <Figure key="b" value={card.metrics.brier} />],
                ["calibration MAE", <Figure key="m" value={card.metrics.calibrationMae} />],
                ["FNR / recall / precision", <span key="f">
                  <Figure value={card.metrics.fnr} /> / <Figure value={card.metrics.recall} /> / <Figure value={card.metrics.precision} />
                </span>],
              ]}
            />
          ) : (
            <Facts
              rows={[
                ["Poisson deviance", <Figure key="d" value={(card.metrics as { poissonDeviance: number }).poissonDeviance} />],
                ["weighted MAPE", (card.metrics as { weightedMape: number | null }).weightedMape === null ? <span className="text-zinc-400 italic">missing</span> : `${(((card.metrics as { weightedMape: number }).weightedMape) * 100).toFixed(2)} %`],
                ["R² (count space)", <Figure key="r" value={(card.metrics as { r2: number | null }).r2} />],
              ]}
            />
          )}
          {card.threshold ? (
            <div className="mt-3 border-t border-zinc-100 pt-3 text-sm dark:border-zinc-800">
              <p>
                Decision threshold <span className="tabular font-medium">{card.threshold.value}</span>
              </p>
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">{card.threshold.rationale}</p>
            </div>
          ) : null}
        </Panel>
      </div>

      <Panel title="Leakage gauntlet" aside={verdict.result ? `${verdict.gates.length} gates: ${verdict.result}` : "not run"}>
        {verdict.gates.length === 0 ? (
          <p className="text-sm text-zinc-500">No gate was run for this version{card.task === "count_regressor" ? " (the gauntlet's AUC gates are for classifiers)" : ""}. A candidate without a gauntlet cannot be promoted without a recorded override.</p>
        ) : (
          <div className="grid gap-4 lg:grid-cols-3">
            <div className="space-y-2">
              <h3 className="flex items-center gap-2 text-sm font-medium">
                Label permutation <GateBadge result={permutation?.gate ?? null} />
              </h3>
              {permutation ? (
                <Facts
                  rows={[
                    ["baseline AUC", <Figure key="b" value={permutation.baselineAuc} />],
                    ["permuted mean", <Figure key="p" value={permutation.permutedMean} />],
                    ["degradation", <Figure key="d" value={permutation.degradation} />],
                    ["p-value", <Figure key="v" value={permutation.pValue} />],
                    ["permutations", permutation.permutations ?? <span className="text-zinc-400 italic">missing</span>],
                  ]}
                />
              ) : (
                <p className="text-sm text-zinc-400 italic">not run</p>
              )}
            </div>
            <div className="space-y-2">
              <h3 className="flex items-center gap-2 text-sm font-medium">
                Reproducibility <GateBadge result={reproducibility?.gate ?? null} />
              </h3>
              {reproducibility ? (
                <Facts
                  rows={[
                    ["Δ AUC (two runs)", <Figure key="a" value={reproducibility.deltaAuc} />],
                    ["Δ lift@10", <Figure key="l" value={reproducibility.deltaLift10} />],
                    ["group overlap", reproducibility.groupOverlap],
                  ]}
                />
              ) : (
                <p className="text-sm text-zinc-400 italic">not run</p>
              )}
            </div>
            <div className="space-y-2">
              <h3 className="flex items-center gap-2 text-sm font-medium">
                Shift grid <GateBadge result={shiftGrid?.gate ?? null} /> <Source source={(shiftGrid as { source?: string } | null)?.source} note={shiftGrid?.note} />
              </h3>
              {shiftGrid ? (
                <>
                  <p className="text-xs text-zinc-500">{shiftGrid.meaning}</p>
                  {shiftGrid.rows.length > 1 ? <LazyShiftGridChart rows={shiftGrid.rows} name={name} unit={shiftUnitText} /> : null}
                  <table aria-label="Shift grid" className="w-full text-sm">
                    <thead>
                      <tr className="text-left text-xs text-zinc-500">
                        <th className="py-1 font-medium">shift ({shiftUnitText})</th>
                        <th className="py-1 text-right font-medium">AUC</th>
                        <th className="py-1 text-right font-medium">Δ AUC</th>
                        <th className="py-1 text-right font-medium">lift@10</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shiftGrid.rows.map((r) => (
                        <tr key={r.shiftDays} className="border-t border-zinc-100 dark:border-zinc-800">
                          <td className="py-1 tabular">{r.shiftDays}</td>
                          <td className="py-1 text-right">
                            <Figure value={r.auc} />
                          </td>
                          <td className="py-1 text-right">
                            <Figure value={r.deltaAuc} />
                          </td>
                          <td className="py-1 text-right">
                            <Figure value={r.lift10} digits={2} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {shiftGrid.note ? <p className="text-xs text-zinc-500">{shiftGrid.note}</p> : null}
                </>
              ) : (
                <p className="text-sm text-zinc-400 italic">not run</p>
              )}
            </div>
          </div>
        )}
      </Panel>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Calibration" aside={card.calibration ? <Source source={card.calibration.source} /> : undefined}>
          {card.calibration && card.calibration.bins.length > 0 ? (
            <>
              <p className="mb-2 text-xs text-zinc-500">Method: {card.calibration.method}. Each bin: the mean predicted probability against the observed rate.</p>
              <LazyCardReliabilityChart bins={card.calibration.bins} name={name} />
            </>
          ) : (
            <p className="text-sm text-zinc-400 italic">No calibration bins on this card.</p>
          )}
        </Panel>
        <Panel title="Gains and top-K yield" aside={card.gains ? <Source source={card.gains.source} /> : undefined}>
          {card.gains && card.gains.points.length > 0 ? <LazyGainsChart points={card.gains.points} name={name} /> : <p className="text-sm text-zinc-400 italic">No gains curve on this card.</p>}
          {card.topK.length > 0 ? (
            <table aria-label="Top-K yield" className="mt-3 w-full text-sm">
              <thead>
                <tr className="text-left text-xs text-zinc-500">
                  <th className="py-1 font-medium">top K</th>
                  <th className="py-1 text-right font-medium">threshold</th>
                  <th className="py-1 text-right font-medium">positive rate</th>
                  <th className="py-1 text-right font-medium">capture</th>
                </tr>
              </thead>
              <tbody>
                {card.topK.map((k) => (
                  <tr key={k.kPercent} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-1 tabular">{k.kPercent} %</td>
                    <td className="py-1 text-right tabular">{k.threshold.toFixed(3)}</td>
                    <td className="py-1 text-right tabular">{(k.positiveRate * 100).toFixed(1)} %</td>
                    <td className="py-1 text-right tabular">{(k.capture * 100).toFixed(1)} %</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Panel>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Prequential (forward months)" aside={card.prequential ? <Source source={card.prequential.source} note={card.prequential.note} /> : undefined}>
          {card.prequential && card.prequential.rows.length > 0 ? (
            <>
              <LazyPrequentialChart rows={card.prequential.rows} name={name} />
              {card.prequential.note ? <p className="mt-2 text-xs text-zinc-500">{card.prequential.note}</p> : null}
            </>
          ) : (
            <p className="text-sm text-zinc-400 italic">{card.prequential?.note ?? "No forward-month evaluation on this card."}</p>
          )}
        </Panel>
        <Panel title="Ablations">
          {card.ablations.length > 0 ? (
            <table aria-label="Ablations" className="w-full text-sm">
              <thead>
                <tr className="text-left text-xs text-zinc-500">
                  <th className="py-1 font-medium">variant</th>
                  <th className="py-1 font-medium">metric</th>
                  <th className="py-1 text-right font-medium">value</th>
                </tr>
              </thead>
              <tbody>
                {card.ablations.map((a) => (
                  <tr key={`${a.variant}-${a.metric}`} className="border-t border-zinc-100 align-top dark:border-zinc-800">
                    <td className="py-1">
                      {a.variant}
                      {a.note ? <p className="text-xs text-zinc-500">{a.note}</p> : null}
                    </td>
                    <td className="py-1 pr-3 whitespace-nowrap">{a.metric}</td>
                    <td className="py-1 text-right">
                      <Figure value={a.value} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm text-zinc-400 italic">No ablation on this card.</p>
          )}
        </Panel>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Features">
          <Facts
            rows={[
              ["features", <span key="c" className="tabular">{card.features.count.toLocaleString("en-US")}</span>],
              ["categorical", <span key="k" className="tabular">{card.features.categoricalCount.toLocaleString("en-US")}</span>],
              ["signature", <span key="s" className="font-mono text-xs break-all">{card.features.signature}</span>],
              ["against the champion", champion ? (drift ? <span className="text-amber-800 dark:text-amber-300">differs from {versionLabel(champion.card.version)}: schema drift</span> : `same as ${versionLabel(champion.card.version)}`) : stored.status === "champion" ? "this is the champion" : <span className="text-zinc-400 italic">no other champion</span>],
            ]}
          />
          {card.features.list ? (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">The {card.features.list.length} features, in order</summary>
              <ol className="mt-2 max-h-64 list-decimal overflow-y-auto pl-8 font-mono text-xs">
                {card.features.list.map((f, i) => (
                  <li key={`${i}-${f.name}`}>
                    {f.name} <span className="text-zinc-500">{f.type}</span>
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </Panel>
        <Panel title="Artifacts">
          {card.artifacts.length > 0 ? (
            <ul className="space-y-2 text-sm">
              {card.artifacts.map((a) => (
                <li key={a.name} className="min-w-0">
                  <span className="font-medium">{a.name}</span> <span className="font-mono text-xs break-all text-zinc-500">{a.uri}</span>
                  <p className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">
                    {a.checksum}
                    {(a as { checksumSource?: string }).checksumSource === "synthesised" ? <span className="ml-2 font-sans text-amber-800 dark:text-amber-300">(checksum synthesised: the source gives none)</span> : null}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-400 italic">No artifact listed.</p>
          )}
        </Panel>
      </div>

      <PromotionHistory actor={actor} history={history} />

      <Panel title="Lineage" aside={`${versions.length} version${versions.length === 1 ? "" : "s"} of ${card.model}`}>
        <Table label="Versions of this model">
          <thead>
            <tr>
              <Th>Version</Th>
              <Th>Status</Th>
              <Th>Gauntlet</Th>
              <Th className="text-right">Headline</Th>
              <Th>Cutoff</Th>
              <Th>Registered</Th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, i) => (
              <tr key={v.id} aria-current={v.id === stored.id ? "page" : undefined} className={`${v.id === stored.id ? "bg-indigo-50/60 dark:bg-indigo-950/40" : ""} ${i < versions.length - PRINTED_VERSIONS && v.id !== stored.id ? "print:hidden" : ""}`}>
                <Td>
                  {v.id === stored.id ? (
                    <span className="font-mono text-xs font-semibold">{v.version}</span>
                  ) : (
                    <Link href={`/models/${v.id}`} className={`${LINK} font-mono text-xs`}>
                      {v.version}
                    </Link>
                  )}
                </Td>
                <Td>
                  <CardStatusBadge status={v.status} />
                </Td>
                <Td>
                  <GateBadge result={v.gauntlet} />
                </Td>
                <Td className="text-right">
                  <span className="tabular">
                    {v.headline.name} {metric(v.headline.value)}
                  </span>{" "}
                  {v.previous ? <MetricChange change={v.previous.change} higherIsBetter={v.headline.higherIsBetter} version={v.previous.version} /> : null}
                </Td>
                <Td className="tabular text-xs">{v.trainingCutoff ?? "—"}</Td>
                <Td>
                  <Time value={v.registeredAt} zone={false} className="tabular text-xs" />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {me?.previous ? null : <p className="mt-2 text-xs text-zinc-500">The first version registered of this model.</p>}
        {versions.length > PRINTED_VERSIONS ? <p className="mt-2 hidden text-xs text-zinc-500 print:block">The latest {PRINTED_VERSIONS} versions and this one; the console lists all {versions.length}.</p> : null}
      </Panel>

      <Panel title="Notes">
        {card.notes ? <p className="text-sm whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{card.notes}</p> : <p className="text-sm text-zinc-400 italic">No notes.</p>}
        {Object.keys(extras).length > 0 ? (
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Other fields the pipeline sent ({Object.keys(extras).join(", ")})</summary>
            <pre className="mt-2 max-h-64 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-800">{JSON.stringify(extras, null, 2)}</pre>
          </details>
        ) : null}
      </Panel>
    </div>
  );
}
