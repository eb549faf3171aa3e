import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Panel } from "@/components/layout/panel";
import { ClusterPanel } from "@/components/review/cluster-panel";
import { ContributionsPanel } from "@/components/review/contributions-panel";
import { DecisionPanel } from "@/components/review/decision-panel";
import { FlagsPanel } from "@/components/review/flags-panel";
import { GroupPanel } from "@/components/review/group-panel";
import { IntervalPanel } from "@/components/review/interval-panel";
import { RecordLiveUpdates } from "@/components/review/live-updates";
import { PassengerPanel } from "@/components/review/passenger-panel";
import { ProvenancePanel } from "@/components/review/provenance-panel";
import { ReasonsPanel } from "@/components/review/reasons-panel";
import { RecordHeader } from "@/components/review/record-header";
import { SimilarPanel } from "@/components/review/similar-panel";
import { SpendsPanel } from "@/components/review/spends-panel";
import { Timeline } from "@/components/review/timeline";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { activeClaim, projectOutcome, recordEntries, similarDecided } from "@/lib/data/decisions";
import { nextInQueue } from "@/lib/data/queue";
import { getRecordResult, groupMembers, groupOf } from "@/lib/data/results";
import { NotFoundError, ValidationError } from "@/lib/errors";

type Params = Promise<{ recordId: string }>;
type SearchParams = Promise<{ view?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Record ${decodeURIComponent((await params).recordId)}` };
}

/**
 * A record as a case file (gating spec §9): the passenger as the scorer saw it and their
 * travelling group, the interval against the policy's threshold, the reasons with measured
 * values, raw spends (missing stays missing), flags, cluster, contributions, provenance,
 * similar decided records and the whole timeline — with the decision panel beside it.
 * Unknown records are answered 404 by the layout, before anything streams.
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
  const groupId = groupOf(recordId);
  const [entries, claim, similar, group, next] = await Promise.all([
    recordEntries(actor, recordId, versions.map((v) => v.batchId)),
    activeClaim(actor, recordId),
    similarDecided(actor, recordId, p.cluster.clusterId, p.spend),
    groupMembers(actor, recordId),
    nextInQueue(actor, Object.fromEntries(new URLSearchParams(view)), recordId),
  ]);
  const queueHref = view ? `/queue?${view}` : "/queue";
  const outcome = projectOutcome(current.review?.seq ?? null, entries);

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href={queueHref} className="text-sky-700 hover:underline dark:text-sky-400">
          ← Audit queue
        </Link>
      </nav>
      <RecordHeader recordId={recordId} p={p} version={current.version} createdAt={current.createdAt} batchHeld={current.batchHeld} outcome={outcome} />
      <RecordLiveUpdates recordId={recordId} version={result.entryVersion} selfId={actor.id} />

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        {/* Half-width panels hold label/value rows; tables and charts take the full width. */}
        <div className="grid min-w-0 items-start gap-4 xl:grid-cols-2">
          <PassengerPanel context={current.input.context} groupId={groupId} groupSize={groupId === null ? 1 : group.length + 1} />
          <IntervalPanel p={p} threshold={result.threshold} errorEstimate={current.errorEstimate} errorEstimator={result.errorEstimator} />
          <GroupPanel groupId={groupId} members={group} className="xl:col-span-2" />
          <ReasonsPanel p={p} />
          <FlagsPanel p={p} />
          <SpendsPanel p={p} />
          <ClusterPanel p={p} />
          <ProvenancePanel p={p} batchId={current.batchId} className="xl:col-span-2" />
          <div className="min-w-0 xl:col-span-2">
            <ContributionsPanel p={p} />
          </div>
          <div className="min-w-0 xl:col-span-2">
            <SimilarPanel clusterId={p.cluster.clusterId} similar={similar} />
          </div>
          <Panel title="Timeline" className="xl:col-span-2">
            <Timeline versions={versions} entries={entries} />
          </Panel>
        </div>
        <DecisionPanel
          recordId={recordId}
          resultVersion={current.version}
          ledgerVersion={result.ledgerVersion}
          machineLabel={p.decision}
          queued={p.route === "audit"}
          outcome={outcome ? { action: outcome.action, label: outcome.label, at: outcome.at, seq: outcome.seq, by: outcome.by } : null}
          claim={claim ? { name: claim.name, until: claim.until, mine: claim.userId === actor.id } : null}
          canDecide={hasPermission(actor.role, "records:decide")}
          canAmend={hasPermission(actor.role, "records:amend")}
          nextHref={next ? `/queue/${encodeURIComponent(next)}${view ? `?view=${encodeURIComponent(view)}` : ""}` : null}
          queueHref={queueHref}
        />
      </div>
    </div>
  );
}
