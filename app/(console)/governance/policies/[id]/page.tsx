import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FigureSection } from "@/components/governance/figures";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { getPolicySnapshot } from "@/lib/data/policy-changes";
import { latestRegating } from "@/lib/data/regating";
import { latestWhatIf } from "@/lib/data/what-if";
import { NotFoundError } from "@/lib/errors";
import { DecideProposal, ProposeRollback } from "../policy-actions";
import { LINK, PolicyDiffTable, PolicyStatusBadge, utc } from "../policy-parts";
import { RegatingSection } from "./regating-section";
import { WhatIfResult } from "./what-if-figures";
import { WhatIfRequest } from "./what-if-form";

export const metadata: Metadata = { title: "Policy snapshot" };

export default async function PolicySnapshotPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageUser("governance:read");
  const id = decodeURIComponent((await params).id);
  const detail = await getPolicySnapshot(actor, id).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const waiting = detail.proposals.find((p) => p.status === "proposed");
  const mine = waiting && actor.kind === "user" && waiting.proposedBy.id === actor.id;
  const canDecide = waiting && !mine && actorCan(actor, "policies:approve");
  const canRollBack = detail.status !== "active" && detail.status !== "proposed" && actorCan(actor, "policies:propose");
  const s = detail.snapshot;
  const [whatIf, regating] = await Promise.all([waiting ? latestWhatIf(actor, waiting.id) : null, detail.status === "active" ? latestRegating(actor, detail.id) : null]);
  const canWhatIf = waiting && waiting.baseSnapshotId === detail.activeId && actorCan(actor, "policies:propose");

  return (
    <div className="space-y-6">
      <PageHeader
        title={`Policy ${detail.id}`}
        description={`Stored ${utc(detail.createdAt)} (${detail.source}); last activated ${utc(detail.activatedAt)}. θ ${s.theta}, CS_ACCEPT ${s.csAccept}, ${s.canaries.ids.length} canary ids and ${s.canaries.signatures.length} signatures.`}
        actions={
          <div className="flex items-center gap-3">
            <PolicyStatusBadge status={detail.status} />
            <Link prefetch={false} className={`${LINK} text-sm`} href={`/governance/trail/policy/${encodeURIComponent(detail.id)}`}>
              Audit trail
            </Link>
            {canRollBack ? <ProposeRollback baseSnapshotId={detail.activeId} targetSnapshotId={detail.id} /> : null}
          </div>
        }
      />

      {waiting ? (
        <section aria-label="Waiting proposal" className="space-y-3">
          <div className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm dark:border-amber-800 dark:bg-amber-950">
            <p>
              <span className="font-semibold">{waiting.kind === "rollback" ? "Rollback" : "Change"} proposed</span> by {waiting.proposedBy.name ?? "unknown"} on {utc(waiting.proposedAt)} (edit-log entry #{waiting.proposedSeq}), against{" "}
              <Link prefetch={false} className={`${LINK} font-mono text-xs`} href={`/governance/policies/${waiting.baseSnapshotId}`}>
                {waiting.baseSnapshotId}
              </Link>
              : “{waiting.reason}”
            </p>
            {waiting.baseSnapshotId !== detail.activeId ? (
              <p className="mt-1 font-medium text-red-800 dark:text-red-300">The active policy has changed since: this proposal can no longer be approved. Propose again from the active policy.</p>
            ) : null}
            {mine ? <p className="mt-1 text-amber-900 dark:text-amber-200">You proposed it: a second governance user approves or rejects it.</p> : null}
          </div>
        </section>
      ) : null}

      <FigureSection title={detail.status === "active" ? "The active policy" : "Against the active policy"} note={detail.status === "active" ? undefined : `What would change if this snapshot replaced ${detail.activeId}.`}>
        {detail.status === "active" ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">This snapshot gates every new batch.</p>
        ) : (
          <PolicyDiffTable lines={detail.diffFromActive} label="Changes against the active policy" empty="It holds the same values as the active policy." />
        )}
      </FigureSection>

      {waiting ? (
        <FigureSection
          title="What-if"
          note="The records of a recent window gated again with the pure core under this proposal and under the active policy: what would change route and why, which canaries would release, the audit workload, and error capture on labelled records. Approvers see the stored figures."
        >
          {whatIf ? <WhatIfResult whatIf={whatIf} /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">No what-if has been run for this proposal yet.</p>}
          {canWhatIf && whatIf?.status !== "running" ? <WhatIfRequest proposalId={waiting.id} again={whatIf !== null} /> : null}
        </FigureSection>
      ) : null}

      {canDecide && waiting.baseSnapshotId === detail.activeId ? (
        <section aria-label="Decision" className="space-y-2">
          {whatIf?.status !== "done" ? <p className="text-sm font-medium text-amber-800 dark:text-amber-300">No finished what-if yet: run one above before you decide.</p> : null}
          <DecideProposal proposalId={waiting.id} />
        </section>
      ) : null}

      {regating ? <RegatingSection run={regating.run} changed={regating.changed} /> : null}

      <FigureSection title="History" note="Every proposal to activate this snapshot, newest first, with what it changed against the policy active at the time.">
        {detail.proposals.length === 0 ? (
          <p className="text-sm text-zinc-500">No proposal: {detail.source === "default" ? "the committed default, activated on the console's first start." : "stored without a proposal."}</p>
        ) : (
          <ol aria-label="Proposals" className="space-y-4">
            {detail.proposals.map((p) => (
              <li key={p.id} className="space-y-2 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
                <p className="text-sm">
                  <Badge tone={p.status === "approved" ? "green" : p.status === "rejected" ? "red" : "amber"}>{p.status}</Badge> {p.kind} proposed by {p.proposedBy.name ?? "unknown"} ·{" "}
                  {utc(p.proposedAt)} · #{p.proposedSeq}: “{p.reason}”
                  {p.decidedBy ? (
                    <>
                      {" "}
                      — {p.status} by {p.decidedBy.name ?? "unknown"} · {utc(p.decidedAt)} · #{p.decidedSeq}: “{p.decisionReason}”
                    </>
                  ) : null}
                </p>
                <PolicyDiffTable lines={p.diff} label={`Changes proposed on ${utc(p.proposedAt)}`} empty="Nothing differed from the policy active then." />
              </li>
            ))}
          </ol>
        )}
      </FigureSection>
    </div>
  );
}
