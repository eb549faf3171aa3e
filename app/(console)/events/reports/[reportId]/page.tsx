import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/layout/empty-state";
import { Missing } from "@/components/layout/missing";
import { DetailRow, DetailTable } from "@/components/layout/detail-table";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getReportDetail } from "@/lib/data/events/views";
import { NotFoundError, BadRequestError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { CAUSE_CATEGORY_LABELS, EVENT_REASON_LABELS, HUMAN_ACTION_LABELS, type CauseCategory, type EventReasonCode } from "@/lib/mrs/taxonomy";
import { impactVector } from "@/lib/mrs/impact";
import { AsOfPicker } from "../../as-of";
import { ImpactVectorPanel } from "../../impact-vector";
import { SubjectActions } from "../../subject-actions";

type Params = Promise<{ reportId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Report ${(await params).reportId}` };
}

const missing = <Missing />;
const money = (v: number | null) => (v === null ? missing : v.toLocaleString("en-US", { maximumFractionDigits: 2 }));
const causeName = (c: CauseCategory | null, label: string | null) => (c === null ? null : label ?? CAUSE_CATEGORY_LABELS[c].label);
const STATUS_TONE: Record<string, BadgeTone> = { open: "amber", decided: "indigo", finalised: "green" };

/** A stage of the pipeline and whether it is late (spec §6): what "degraded" means for this report. */
function Stage({ name, done, overdue }: { name: string; done: boolean; overdue: boolean }) {
  return (
    <li className="flex items-center justify-between gap-3 py-1 text-sm">
      <span>{name}</span>
      {done ? <Badge tone="green">arrived</Badge> : overdue ? <Badge tone="red">missing, past its SLO</Badge> : <Badge tone="neutral">not yet</Badge>}
    </li>
  );
}

/**
 * One minority report as of an instant (spec §3, §7): what was seen (store, SKU, window,
 * actual against baseline), the machine's causes 1–3 beside the decision people made, the
 * pipeline's stages, the analyst's actions on it — confirm, override, note — and every log
 * row behind it, raw, behind a disclosure.
 */
export default async function ReportPage({ params, searchParams }: { params: Params; searchParams: Promise<{ asOf?: string }> }) {
  const actor = await requirePageUser("events:read");
  const { reportId } = await params;
  const { asOf } = await searchParams;
  let detail;
  try {
    detail = await getReportDetail(actor, reportId, asOf ?? null);
  } catch (error) {
    if (error instanceof NotFoundError && !asOf) notFound();
    if (error instanceof NotFoundError || error instanceof BadRequestError) return <EmptyState title="Nothing to show at that instant">{error.message}</EmptyState>;
    throw error;
  }
  const { view, report: r, rows, actions, ledgerVersion } = detail;
  const q = view.past ? `?asOf=${encodeURIComponent(view.asOf)}` : "";
  const machine = [1, 2, 3].flatMap((n) => {
    const category = r[`causeCategory_${n}` as "causeCategory_1"] as CauseCategory | null;
    if (category === null || (n === 1 && r.causeLabel_1 === null && r.confidence_1 === null)) return [];
    return [{ n, category, label: r[`causeLabel_${n}` as "causeLabel_1"], confidence: r[`confidence_${n}` as "confidence_1"] }];
  });
  const canDecide = !view.past && hasPermission(actor.role, "events:decide");

  return (
    <div className="space-y-4">
      <nav className="text-sm" aria-label="Breadcrumb">
        <Link href={`/events${q}`} className="text-sky-700 hover:underline dark:text-sky-400">
          Minority events
        </Link>
        {r.eventId ? (
          <>
            {" / "}
            <Link href={`/events/${r.eventId}${q}`} className="text-sky-700 hover:underline dark:text-sky-400">
              Event {r.reportGroupId}
            </Link>
          </>
        ) : null}{" "}
        / report
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="font-mono text-xl font-semibold">{r.reportId}</h1>
            <Badge tone={STATUS_TONE[r.analystStatus] ?? "neutral"}>{r.analystStatus}</Badge>
            {r.isDegraded ? <Badge tone="red">degraded</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {r.sku ?? "An unknown SKU"} at {r.storeId ?? "an unknown store"}
            {r.retailer ? ` (${r.retailer}${r.city ? `, ${r.city}` : ""})` : ""}
            {r.windowStart ? `, from ${formatUtc(r.windowStart)}${r.windowEnd ? ` to ${formatUtc(r.windowEnd)}` : " (still open)"}` : ""}.
          </p>
        </div>
        <AsOfPicker key={view.asOf} asOf={view.asOf} past={view.past} />
      </header>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <div className="grid gap-4 md:grid-cols-2">
            <Panel title="What was seen">
              <dl>
                <Row label="store">{r.storeId ?? missing}</Row>
                <Row label="retailer · city">{r.retailer || r.city ? `${r.retailer ?? "—"} · ${r.city ?? "—"}` : missing}</Row>
                <Row label="SKU">{r.sku ?? missing}</Row>
                <Row label="cluster">{r.isClustered ? r.clusterId : <span className="text-zinc-500 italic">unclustered</span>}</Row>
                <Row label="actual">{money(r.actual)}</Row>
                <Row label="baseline">{money(r.baseline)}</Row>
                <Row label="uplift">{r.uplift === null ? missing : <span className={r.uplift < 0 ? "text-red-700 dark:text-red-400" : ""}>{money(r.uplift)}</span>}</Row>
              </dl>
            </Panel>
            <Panel title="Pipeline" aside={`first detected ${r.detectedAt ? formatUtc(r.detectedAt) : "—"}`}>
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
                <Stage name="detection" done={r.detectedAt !== null} overdue={r.overdueDetection} />
                <Stage name="clustering" done={r.isClustered} overdue={r.overdueClustering} />
                <Stage name="attribution" done={r.attributionState === "proposed"} overdue={r.overdueAttribution} />
                <Stage name="end of window" done={r.windowEnd !== null} overdue={false} />
              </ul>
              <p className="mt-2 text-xs text-zinc-500">
                Attribution: {r.attributionState}. The view as of {formatUtc(r.writtenAt)} (its newest row or action).
              </p>
            </Panel>
          </div>

          <Panel title="Causes" aside={r.confidenceTier ? `confidence tier: ${r.confidenceTier}` : undefined}>
            <div className="grid gap-4 md:grid-cols-2">
              <div>
                <h3 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">The machine said</h3>
                {machine.length === 0 ? (
                  <p className="text-sm text-zinc-500 italic">No attribution yet.</p>
                ) : (
                  <ol className="space-y-1 text-sm">
                    {machine.map((m) => (
                      <li key={m.n} className="flex items-baseline justify-between gap-3">
                        <span>
                          {m.n}. {causeName(m.category, m.label)} <span className="text-zinc-500">({CAUSE_CATEGORY_LABELS[m.category].label})</span>
                        </span>
                        <span className="tabular">{m.confidence === null ? missing : m.confidence.toFixed(2)}</span>
                      </li>
                    ))}
                  </ol>
                )}
                {r.narrative ? <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{r.narrative}</p> : null}
              </div>
              <div>
                <h3 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">People decided</h3>
                {r.analystCauseCategory ? (
                  <p className="text-sm">
                    {causeName(r.analystCauseCategory, r.analystCauseLabel)} <span className="text-zinc-500">({CAUSE_CATEGORY_LABELS[r.analystCauseCategory].label})</span>
                    <br />
                    <span className="text-zinc-600 dark:text-zinc-400">
                      {r.analystAction ? HUMAN_ACTION_LABELS[r.analystAction].label.toLowerCase() : "decided"} on the {r.decidedOn ?? "event"}
                      {r.autoConfirmed ? " by weekend mode" : ""}
                      {r.analystDecidedAt ? `, ${formatUtc(r.analystDecidedAt)}` : ""}
                      {r.analystReasonCode && r.analystReasonCode in EVENT_REASON_LABELS ? ` · ${EVENT_REASON_LABELS[r.analystReasonCode as EventReasonCode].label}` : ""}
                    </span>
                  </p>
                ) : (
                  <p className="text-sm text-zinc-500 italic">Not decided yet: the machine&apos;s first cause shows.</p>
                )}
                {r.analystReasonText ? <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">“{r.analystReasonText}”</p> : null}
              </div>
            </div>
          </Panel>

          <ImpactVectorPanel
            impact={impactVector({ causeCategory: r.causeCategory, outcome: r.analystOutcome, uplift: r.uplift, baseline: r.baseline })}
            basis={`from the ${r.causeSource === "analyst" ? "decided" : "machine's"} cause: ${CAUSE_CATEGORY_LABELS[r.causeCategory].label}`}
          />

          <Panel title="Actions on this report" aside={actions.length > 0 ? `${actions.length}` : undefined}>
            {actions.length === 0 ? (
              <p className="text-sm text-zinc-500 italic">No one has acted on this report itself{r.decidedOn === "event" ? "; its decision comes from its event" : ""}.</p>
            ) : (
              <ol aria-label="Actions on this report" className="space-y-2 border-l border-zinc-200 pl-4 text-sm dark:border-zinc-800">
                {actions.map((a) => (
                  <li key={a.seq}>
                    <span className="font-medium">{HUMAN_ACTION_LABELS[a.entry.action].label}</span>
                    {a.entry.after && "cause" in a.entry.after && a.entry.after.cause ? ` → ${a.entry.after.cause.label}` : ""} by {a.actorName ?? a.entry.actor.type} <Time value={a.entry.effectiveAt} />{" "}
                    <span className="text-zinc-500">(entry #{a.seq})</span>
                    {a.entry.reasonText ? <p className="text-zinc-600 dark:text-zinc-400">“{a.entry.reasonText}”</p> : null}
                  </li>
                ))}
              </ol>
            )}
          </Panel>

          <details className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer text-sm font-semibold">The log rows behind this view ({rows.length}, every version)</summary>
            <DetailTable columns={[{ label: "written" }, { label: "log" }, { label: "version" }, { label: "row as received" }]}>
              {rows.map((row, i) => (
                <DetailRow key={i} className="align-top">
                  <td className="py-1.5 pr-3 text-xs whitespace-nowrap">{formatUtc(row.writtenAt)}</td>
                  <td className="py-1.5 pr-3">{row.log}</td>
                  <td className="tabular py-1.5 pr-3">v{row.version}</td>
                  <td className="py-1.5 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{JSON.stringify(row.row)}</td>
                </DetailRow>
              ))}
            </DetailTable>
          </details>
        </div>

        <div>
          {canDecide ? (
            <SubjectActions
              key={ledgerVersion}
              subject={{ type: "report", id: r.reportId }}
              status={r.analystStatus}
              ledgerVersion={ledgerVersion}
              machineCause={causeName(r.causeCategory_1, r.causeLabel_1) ?? "the machine cause"}
              canFinalise={false}
            />
          ) : (
            <aside className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
              {view.past ? "A replay of the past is read-only. Go back to now to act." : "Your role can read reports but not decide them."}
            </aside>
          )}
        </div>
      </div>
    </div>
  );
}
