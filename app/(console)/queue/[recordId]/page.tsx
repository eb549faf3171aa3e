import type { Metadata } from "next";
import Link from "next/link";
import { Section } from "@/components/layout/section";
import { notFound } from "next/navigation";
import { LazyContributionsChart, RecordInterval } from "@/components/charts/lazy-charts";
import { FlagBadge, ReasonBadge } from "@/components/review/codes";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { activeClaim, recordEntries, similarDecided } from "@/lib/data/decisions";
import { nextInQueue } from "@/lib/data/queue";
import { getRecordResult } from "@/lib/data/results";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { describeReasonDetail } from "@/lib/gating/explain";
import { FLAG_MEANINGS, REASON_EXPLANATIONS } from "@/lib/gating/reasons";
import { labelName } from "@/lib/validations/decisions";
import { DecisionPanel } from "./decision-panel";
import { Timeline } from "./timeline";

type Params = Promise<{ recordId: string }>;
type SearchParams = Promise<{ view?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Record ${decodeURIComponent((await params).recordId)}` };
}


function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4 border-b border-zinc-100 py-1.5 text-sm last:border-0 dark:border-zinc-800">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="tabular text-right">{children}</dd>
    </div>
  );
}

const missing = <span className="italic text-zinc-400">missing</span>;
const num = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? missing : x.toFixed(d));

/**
 * The record's provenance (gating spec §9), read-only: interval, reasons with measured
 * value against threshold, raw spends (missing stays missing), flags, cluster prior,
 * policy and versions.
 */
export default async function RecordPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const actor = await requirePageUser("queue:read");
  const recordId = decodeURIComponent((await params).recordId);
  const rawView = (await searchParams).view;
  const view = typeof rawView === "string" ? rawView : "";
  const result = await getRecordResult(actor, recordId).catch((error: unknown) => {
    if (error instanceof NotFoundError || error instanceof ValidationError) notFound();
    throw error;
  });
  const { current, versions } = result;
  const p = current.provenance;
  const threshold = 0.5;
  const [entries, claim, similar, next] = await Promise.all([
    recordEntries(actor, recordId, versions.map((v) => v.batchId)),
    activeClaim(actor, recordId),
    similarDecided(actor, recordId, p.cluster.clusterId, p.spend),
    nextInQueue(actor, Object.fromEntries(new URLSearchParams(view)), recordId),
  ]);
  const queueHref = view ? `/queue?${view}` : "/queue";
  const review = current.review;
  const decidedBy = review ? (entries.find((e) => e.seq === review.seq)?.actorName ?? null) : null;
  const channels = Object.keys(p.spend);
  const contributions = p.contributions
    ? channels.map((channel, j) => ({ channel, raw: p.contributions!.raw[j] ?? 0, capped: p.contributions!.final[j] ?? 0 }))
    : null;

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href={queueHref} className="text-sky-700 hover:underline dark:text-sky-400">
          ← Audit queue
        </Link>
      </nav>
      <header className="flex flex-wrap items-center gap-3 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <h1 className="font-mono text-xl font-semibold text-zinc-900 dark:text-zinc-50">{recordId}</h1>
        <Badge tone={p.route === "audit" ? "amber" : "green"}>{p.route}</Badge>
        {p.fragile ? <Badge tone="orange">fragile</Badge> : null}
        {p.canaryMatches.length > 0 ? <Badge tone="red">canary</Badge> : null}
        {current.batchHeld ? <Badge tone="violet">batch held</Badge> : null}
        <span className="text-sm text-zinc-500 dark:text-zinc-400">
          machine decision <strong className="text-zinc-900 dark:text-zinc-100">{labelName(p.decision)}</strong> · version {current.version} ·{" "}
          <Time value={current.createdAt} />
        </span>
      </header>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_21rem]">
      <div className="grid gap-4 xl:grid-cols-2">
        <Section title="Interval">
          <RecordInterval p10={p.p10} p50={p.p50} p90={p.p90} threshold={threshold} />
          <dl className="mt-3">
            <Row label="p10 · p50 · p90">
              {num(p.p10)} · {num(p.p50)} · {num(p.p90)}
            </Row>
            <Row label="confidence (pessimistic bound of the decision)">{num(p.confidence)}</Row>
            <Row label="pModel · pGlm">
              {num(p.pModel)} · {num(p.pGlm)}
            </Row>
            <Row label="ensemble agreement">{p.ensembleAgreement === null ? missing : `${(p.ensembleAgreement * 100).toFixed(1)} %`}</Row>
            <Row label="logit variance (combined)">{num(p.varCombined)}</Row>
          </dl>
        </Section>

        <Section title={`Why it is routed to ${p.route}`}>
          {p.reasons.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Every check passed.</p>
          ) : (
            <ul className="space-y-2">
              {p.reasons.map((r) => (
                <li key={r.code} className="text-sm">
                  <ReasonBadge code={r.code} />
                  <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">{REASON_EXPLANATIONS[r.code]}</p>
                  <p className="tabular text-xs text-zinc-500 dark:text-zinc-400">{describeReasonDetail(r)}</p>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title="Raw spends (before any imputation)">
          <dl>
            {Object.entries(p.spend).map(([channel, value]) => (
              <Row key={channel} label={channel}>
                {value === null ? missing : value.toLocaleString("en-US")}
              </Row>
            ))}
          </dl>
        </Section>

        <Section title="Flags and fragility">
          <dl className="mb-3">
            <Row label="fragility score vs θ">
              {num(p.fragilityScore)} / {num(p.theta)}
            </Row>
            <Row label="cluster">{p.cluster.clusterId}</Row>
            <Row label="cluster N · μ cluster · μ blend">
              {p.cluster.n.toLocaleString("en-US")} · {num(p.cluster.muCluster)} · {num(p.cluster.muBlend)}
            </Row>
          </dl>
          {p.flags.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No flag is set.</p>
          ) : (
            <ul className="space-y-1.5">
              {p.flags.map((f) => (
                <li key={f} className="text-sm">
                  <FlagBadge code={f} /> <span className="text-zinc-600 dark:text-zinc-400">{FLAG_MEANINGS[f]}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title="Provenance">
          <dl>
            <Row label="policy snapshot">
              <span className="font-mono text-xs">{p.policy.id}</span>
            </Row>
            <Row label="policy hash">
              <span className="font-mono text-xs" title={p.policy.hash}>
                {p.policy.hash.slice(0, 16)}…
              </span>
            </Row>
            <Row label="scorer version">
              <span className="font-mono text-xs">{p.scorerVersion}</span>
            </Row>
            <Row label="gating core version">
              <span className="font-mono text-xs">{p.gatingCoreVersion}</span>
            </Row>
            <Row label="batch">
              <Link className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400" href={`/queue?batch=${encodeURIComponent(current.batchId)}`}>
                {current.batchId}
              </Link>{" "}
              <span className="text-xs text-zinc-500">
                ({p.batch.fragileCount}/{p.batch.size} fragile{p.batch.held ? ", held" : ""})
              </span>
            </Row>
          </dl>
        </Section>

        <Section title="Logit contributions before and after caps">
          {contributions ? (
            <>
              <LazyContributionsChart rows={contributions} />
              <dl className="mt-2">
                <Row label="base · non-channel">
                  {num(p.contributions!.base)} · {num(p.contributions!.nonChannel)}
                </Row>
                <Row label="caps triggered · top-k scaled">
                  {p.contributions!.capsTriggered ? "yes" : "no"} · {p.contributions!.topKScaled ? `yes (×${p.contributions!.capsScaling.toFixed(3)})` : "no"}
                </Row>
                <Row label="p after caps">{num(p.contributions!.pCapped)}</Row>
              </dl>
            </>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The upstream scorer sent no contributions for this record <span className="italic text-zinc-400">(missing)</span>.
            </p>
          )}
        </Section>

        <Section title="Similar decided records in this cluster">
          {similar.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No record of cluster {p.cluster.clusterId} has been decided yet.</p>
          ) : (
            <table className="w-full text-sm">
              <caption className="sr-only">The five closest decided records by log spend distance</caption>
              <thead>
                <tr className="text-left text-xs text-zinc-500">
                  <th className="py-1 font-medium">record</th>
                  <th className="py-1 text-right font-medium">distance</th>
                  <th className="py-1 font-medium">outcome</th>
                </tr>
              </thead>
              <tbody>
                {similar.map((s) => (
                  <tr key={s.recordId} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-1.5">
                      <Link href={`/queue/${encodeURIComponent(s.recordId)}`} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400">
                        {s.recordId}
                      </Link>
                    </td>
                    <td className="tabular py-1.5 text-right">{s.distance.toFixed(2)}</td>
                    <td className="py-1.5">
                      <Badge tone={s.action === "override" ? "red" : "green"}>{s.action === "override" ? "overridden" : "confirmed"}</Badge>{" "}
                      <span className="text-xs text-zinc-600 dark:text-zinc-400">
                        {labelName(s.decidedLabel)} · <Time value={s.decidedAt} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="mt-2 text-xs text-zinc-500">Distance: Euclidean on log(1 + spend); channels missing on either side are skipped and the rest scaled up.</p>
        </Section>

        <div className="xl:col-span-2">
          <Section title="Timeline">
            <Timeline versions={versions} entries={entries} />
          </Section>
        </div>
      </div>
      <DecisionPanel
        // a refresh that brings a newer version (a note, a claim) starts the panel afresh
        key={`${current.version}-${result.ledgerVersion}`}
        recordId={recordId}
        resultVersion={current.version}
        ledgerVersion={result.ledgerVersion}
        machineLabel={p.decision}
        queued={p.route === "audit"}
        decided={review ? { action: review.action, label: review.label, at: review.at, seq: review.seq, by: decidedBy } : null}
        claim={claim ? { name: claim.name, until: claim.until, mine: claim.userId === actor.id } : null}
        canDecide={hasPermission(actor.role, "records:decide")}
        nextHref={next ? `/queue/${encodeURIComponent(next)}${view ? `?view=${encodeURIComponent(view)}` : ""}` : null}
        queueHref={queueHref}
      />
      </div>
    </div>
  );
}
