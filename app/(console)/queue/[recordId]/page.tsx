import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { IntervalBar } from "@/components/charts/interval-bar";
import { FlagBadge, ReasonBadge } from "@/components/review/codes";
import { Badge } from "@/components/ui/badge";
import { requirePageUser } from "@/lib/auth/session";
import { getRecordResult } from "@/lib/data/results";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { formatRelative, formatUtc } from "@/lib/format";
import { describeReasonDetail } from "@/lib/gating/explain";
import { FLAG_MEANINGS, REASON_EXPLANATIONS } from "@/lib/gating/reasons";

type Params = Promise<{ recordId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Record ${decodeURIComponent((await params).recordId)}` };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 className="mb-3 text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
      {children}
    </section>
  );
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
export default async function RecordPage({ params }: { params: Params }) {
  const actor = await requirePageUser("queue:read");
  const recordId = decodeURIComponent((await params).recordId);
  const result = await getRecordResult(actor, recordId).catch((error: unknown) => {
    if (error instanceof NotFoundError || error instanceof ValidationError) notFound();
    throw error;
  });
  const { current, versions } = result;
  const p = current.provenance;
  const threshold = 0.5;

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href="/queue" className="text-sky-700 hover:underline dark:text-sky-400">
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
          machine decision <strong className="text-zinc-900 dark:text-zinc-100">{p.decision ? "positive (Transported)" : "negative"}</strong> · version {current.version} ·{" "}
          <time dateTime={current.createdAt} title={formatUtc(current.createdAt)}>
            {formatRelative(current.createdAt)}
          </time>
        </span>
      </header>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Interval">
          <IntervalBar p10={p.p10} p50={p.p50} p90={p.p90} threshold={threshold} width={420} height={40} labels />
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

        <Section title="Versions">
          <ol className="space-y-1 text-sm">
            {versions.map((v) => (
              <li key={v.resultId} className="flex items-center gap-2">
                <span className="tabular w-6 text-zinc-500">v{v.version}</span>
                <Badge tone={v.route === "audit" ? "amber" : "green"}>{v.route}</Badge>
                <span className="font-mono text-xs">{v.batchId}</span>
                <time className="text-xs text-zinc-500" dateTime={v.createdAt} title={formatUtc(v.createdAt)}>
                  {formatRelative(v.createdAt)}
                </time>
                {v.current ? <span className="text-xs text-zinc-500">current</span> : <span className="text-xs text-zinc-400">superseded</span>}
              </li>
            ))}
          </ol>
        </Section>
      </div>
    </div>
  );
}
