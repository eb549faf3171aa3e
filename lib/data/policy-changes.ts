/**
 * Policy changes (governance spec §4): a governance user proposes a new snapshot — the
 * active one edited, or an earlier one again (a rollback) — with a reason; a second
 * governance user, never the proposer, approves it (which activates it) or rejects it.
 * Each step is an edit-log entry on policy/<snapshot id>, in the same transaction as the
 * row it changes. Snapshots never change once stored; only which one is active does.
 *
 * Races: a proposal row is locked while it is decided (two approvals: one wins, the other
 * finds it decided), and activation holds the same advisory lock as the first activation
 * (lib/data/policies.ts) and checks that the proposal's base is still the active snapshot
 * (else 409: the what-if was about another policy).
 */
import type { PoolClient } from "pg";
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { computeSnapshotHash, GatingValidationError, type CanarySignature, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { fragilityThreshold } from "@/lib/calibration/calibrate";
import { referenceTrainingRecords } from "@/lib/reference-data";
import { applyPolicyEdits, EDITABLE_GROUPS, policyDiff, signatureMatchCounts, snapshotNamedByContent, valueAt, type PolicyDiffLine, type PolicyEdits } from "@/lib/governance/policy-change";
import { decidePolicyInputSchema, proposePolicyInputSchema, proposeRollbackInputSchema, proposeUploadInputSchema, signatureMatchesInputSchema } from "@/lib/validations/policies";
import { db, transaction } from "./db";
import { parseInput } from "./input";
import { appendEntry, userEntry } from "./ledger";
import { activePolicy, policiesById } from "./policies";
import { staleQueueCount, startRegating } from "./regating";
import { oneProposal, orReplayed, REQUEST_JOIN, STEP_COLUMNS, STEP_JOINS, stepsOf, type TwoPersonRow, type TwoPersonSteps } from "./two-person";

export type PolicyStatus = "active" | "proposed" | "rejected" | "retired" | "stored";

export interface PolicyProposalView extends TwoPersonSteps {
  id: string;
  snapshotId: string;
  baseSnapshotId: string;
  kind: "change" | "rollback";
  status: "proposed" | "approved" | "rejected";
  reason: string;
}

export interface PolicySnapshotRow {
  id: string;
  source: string;
  status: PolicyStatus;
  createdAt: string;
  activatedAt: string | null;
  /** the latest proposal for it, if any */
  proposal: PolicyProposalView | null;
}

const ACTIVATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('sentinel.policy_activation'))";

type ProposalRow = TwoPersonRow & {
  id: string;
  snapshot_id: string;
  base_snapshot_id: string;
  kind: "change" | "rollback";
  status: "proposed" | "approved" | "rejected";
  reason: string;
};

const PROPOSAL_COLUMNS = `p.id, p.snapshot_id, p.base_snapshot_id, p.kind, p.status, p.reason, ${STEP_COLUMNS}`;

function proposalView(r: ProposalRow): PolicyProposalView {
  return {
    id: r.id,
    snapshotId: r.snapshot_id,
    baseSnapshotId: r.base_snapshot_id,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    ...stepsOf(r),
  };
}

function statusOf(s: { active: boolean; activated_at: Date | null }, latest: PolicyProposalView | null): PolicyStatus {
  if (s.active) return "active";
  if (latest?.status === "proposed") return "proposed";
  if (s.activated_at) return "retired";
  if (latest?.status === "rejected") return "rejected";
  return "stored";
}

/** Snapshots with their status and latest proposal: all of them, or the one `id` names. */
async function snapshotRows(id?: string): Promise<PolicySnapshotRow[]> {
  const { rows } = await db().pool.query<{ id: string; source: string; active: boolean; created_at: Date; activated_at: Date | null; proposal: ProposalRow | null }>(
    `SELECT s.id, s.source, s.active, s.created_at, s.activated_at, to_jsonb(lp) AS proposal
     FROM policy_snapshots s
     LEFT JOIN LATERAL (SELECT ${PROPOSAL_COLUMNS} FROM policy_proposals p ${STEP_JOINS} WHERE p.snapshot_id = s.id ORDER BY p.proposed_at DESC LIMIT 1) lp ON true
     WHERE $1::text IS NULL OR s.id = $1
     ORDER BY s.active DESC, coalesce((lp.proposed_at), s.created_at) DESC, s.id`,
    [id ?? null],
  );
  return rows.map((r) => {
    // to_jsonb turns the times into text: read them back as dates.
    const p = r.proposal ? proposalView({ ...r.proposal, proposed_at: new Date(r.proposal.proposed_at), decided_at: r.proposal.decided_at ? new Date(r.proposal.decided_at) : null }) : null;
    return { id: r.id, source: r.source, status: statusOf(r, p), createdAt: r.created_at.toISOString(), activatedAt: r.activated_at?.toISOString() ?? null, proposal: p };
  });
}

/** Every snapshot, the active one first, then the latest proposed, with its status and latest proposal. Governance (governance:read). */
export async function listPolicySnapshots(actor: Actor): Promise<PolicySnapshotRow[]> {
  assertCanRead(actor, "governance:read");
  return snapshotRows();
}

export interface PolicySnapshotDetail extends PolicySnapshotRow {
  snapshot: PolicySnapshot;
  hash: string;
  activeId: string;
  /** every proposal for it, newest first, each with what it changes against its base */
  proposals: (PolicyProposalView & { diff: PolicyDiffLine[] })[];
  /** what it changes against the active snapshot (empty when it is the active one) */
  diffFromActive: PolicyDiffLine[];
}

/** One snapshot with its proposals and diffs. Governance (governance:read). */
export async function getPolicySnapshot(actor: Actor, id: string): Promise<PolicySnapshotDetail> {
  assertCanRead(actor, "governance:read");
  const [row] = await snapshotRows(id);
  if (!row) throw new NotFoundError(`No policy snapshot "${id}".`);
  const { rows } = await db().pool.query<ProposalRow>(`SELECT ${PROPOSAL_COLUMNS} FROM policy_proposals p ${STEP_JOINS} WHERE p.snapshot_id = $1 ORDER BY p.proposed_at DESC`, [id]);
  const active = await activePolicy();
  const snapshots = await policiesById([id, ...rows.map((r) => r.base_snapshot_id)]);
  const self = snapshots.get(id)!;
  return {
    ...row,
    snapshot: self.snapshot,
    hash: self.hash,
    activeId: active.snapshot.id,
    proposals: rows.map((r) => ({ ...proposalView(r), diff: policyDiff(snapshots.get(r.base_snapshot_id)!.snapshot, self.snapshot) })),
    diffFromActive: active.snapshot.id === id ? [] : policyDiff(active.snapshot, self.snapshot),
  };
}

/** What two snapshots differ in. Governance (governance:read). */
export async function comparePolicySnapshots(actor: Actor, fromId: string, toId: string): Promise<PolicyDiffLine[]> {
  assertCanRead(actor, "governance:read");
  const snapshots = await policiesById([fromId, toId]);
  for (const id of [fromId, toId]) if (!snapshots.has(id)) throw new NotFoundError(`No policy snapshot "${id}".`);
  return policyDiff(snapshots.get(fromId)!.snapshot, snapshots.get(toId)!.snapshot);
}

/** The proposal an earlier request with this id wrote, if any (a double click, a retry). */
async function proposalOfRequest(requestId: string): Promise<PolicyProposalView | null> {
  return oneProposal(`SELECT ${PROPOSAL_COLUMNS} FROM policy_proposals p ${STEP_JOINS} ${REQUEST_JOIN} WHERE e.c::jsonb->>'requestId' = $1 LIMIT 1`, [requestId], proposalView);
}

/** The active snapshot, under the activation lock, checked against what the proposer started from. */
async function activeUnderLock(client: PoolClient, baseSnapshotId: string, message: (activeId: string) => string): Promise<string> {
  await client.query(ACTIVATION_LOCK);
  const activeId = (await client.query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active")).rows[0]?.id;
  if (!activeId) throw new ConflictError("No policy is active yet: start the console once.");
  if (activeId !== baseSnapshotId) throw new ConflictError(message(activeId));
  return activeId;
}

/**
 * Stores a proposal to activate `p.snapshot` in place of the active snapshot, which must
 * still be `d.baseSnapshotId`: the snapshot (once), the edit-log entry and the proposal, in
 * one transaction; the same request again answers with the proposal it made.
 */
async function proposeAgainstActive(
  user: Extract<Actor, { kind: "user" }>,
  d: { baseSnapshotId: string; reason: string; requestId: string },
  p: { snapshot: PolicySnapshot; source: string; kind: "change" | "rollback"; changes: number },
): Promise<PolicyProposalView> {
  return orProposalReplayed(d.requestId, () =>
    transaction(async (client) => {
      const baseId = await activeUnderLock(client, d.baseSnapshotId, (now) => `The active policy changed since you started (it is now ${now}): start again from it.`);
      await client.query("INSERT INTO policy_snapshots (id, hash, content, source, active) VALUES ($1, $2, $3::jsonb, $4, false) ON CONFLICT (id) DO NOTHING", [
        p.snapshot.id,
        computeSnapshotHash(p.snapshot),
        JSON.stringify(p.snapshot),
        p.source,
      ]);
      const waiting = (await client.query<{ id: string }>("SELECT id FROM policy_proposals WHERE snapshot_id = $1 AND status = 'proposed'", [p.snapshot.id])).rows[0];
      if (waiting) throw new ConflictError(`A proposal to activate ${p.snapshot.id} is already waiting for approval: decide that one.`);
      const entry = await appendEntry(
        client,
        userEntry(user, {
          subjectType: "policy",
          subjectId: p.snapshot.id,
          action: p.kind === "rollback" ? "propose_rollback" : "propose",
          before: { active: baseId },
          after: { proposed: p.snapshot.id, changes: p.changes },
          reasonText: d.reason,
          requestId: d.requestId,
        }),
        null,
      );
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO policy_proposals (snapshot_id, base_snapshot_id, kind, reason, proposed_by, proposed_seq) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        [p.snapshot.id, baseId, p.kind, d.reason, user.id, entry.seq],
      );
      return rows[0]!.id;
    }),
  );
}

/** Reads a replayed request's proposal instead of failing; anything else is thrown again. */
function orProposalReplayed(requestId: string, write: () => Promise<string>): Promise<PolicyProposalView> {
  return orReplayed(requestId, write, { byId: proposalById, ofRequest: proposalOfRequest });
}

async function proposalById(id: string): Promise<PolicyProposalView | null> {
  return oneProposal(`SELECT ${PROPOSAL_COLUMNS} FROM policy_proposals p ${STEP_JOINS} WHERE p.id = $1`, [id], proposalView);
}

/** Whether an edited path changes which reference records are fragile (θ, its target, weights, flag thresholds). */
function changesFragility(path: string): boolean {
  return path === "theta" || path === "thresholds.TARGET_FRAGILE_RATE" || path.startsWith("thresholds.FRAGILITY_WEIGHT") || FLAG_GROUP_PATHS.has(path);
}
const FLAG_GROUP_PATHS: ReadonlySet<string> = new Set(EDITABLE_GROUPS.find((g) => g.title === "Flags")!.fields.map((f) => f.path));

/** Canary signatures from the form's JSON text: an array, or a 422 naming the field. */
function signaturesFromText(text: string): unknown[] {
  let signatures: unknown;
  try {
    signatures = JSON.parse(text);
  } catch {
    signatures = null;
  }
  if (!Array.isArray(signatures)) throw new ValidationError("Some fields are not valid.", { canarySignatures: ["must be a JSON array of signatures"] });
  return signatures;
}

/** The base with edits, validated whole: a broken rule is a 422 naming the field (canaries.signatures[0].allFlags[0]). */
function editedSnapshot(base: PolicySnapshot, edits: PolicyEdits): PolicySnapshot {
  try {
    return applyPolicyEdits(base, edits);
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationError("Some fields are not valid.", { values: [error.message] });
    if (error instanceof GatingValidationError) throw new ValidationError(`The proposed snapshot is not valid: ${error.message}`, error.fieldErrors);
    throw error;
  }
}

/** Recent records the signature editor counts matches on: the newest current results, at most this many. */
const SIGNATURE_SAMPLE_MAX = 20_000;

export interface SignatureMatches {
  days: number;
  /** current results of the window read (the newest, at most SIGNATURE_SAMPLE_MAX) */
  records: number;
  capped: boolean;
  signatures: { name: string; matches: number }[];
}

/**
 * How many recent records each edited canary signature matches (the signature editor,
 * policies:propose): the signatures validated with the base snapshot, then matched on the
 * newest current results of the last `days` days with the pure core's topology and flags.
 */
export async function canarySignatureMatches(actor: Actor, input: unknown): Promise<SignatureMatches> {
  assertPersonCan(actor, "policies:propose");
  const d = parseInput(signatureMatchesInputSchema, input);
  const base = (await policiesById([d.baseSnapshotId])).get(d.baseSnapshotId);
  if (!base) throw new NotFoundError(`No policy snapshot "${d.baseSnapshotId}".`);
  const snapshot = editedSnapshot(base.snapshot, { values: {}, canaries: { ids: base.snapshot.canaries.ids, signatures: signaturesFromText(d.canarySignatures) as CanarySignature[] } });
  const rows = (
    await db().pool.query<{ input: string }>(
      "SELECT input FROM gating_results WHERE current AND created_at >= now() - make_interval(days => $1::int) ORDER BY id DESC LIMIT $2",
      [d.days, SIGNATURE_SAMPLE_MAX],
    )
  ).rows;
  return {
    days: d.days,
    records: rows.length,
    capped: rows.length === SIGNATURE_SAMPLE_MAX,
    signatures: signatureMatchCounts(rows.map((r) => JSON.parse(r.input) as ScoredRecord), snapshot),
  };
}

/** Canary ids from the form's text: one per line or comma-separated, blanks dropped. */
function idsFromText(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== "");
}

/**
 * Proposes the active snapshot with edits (policies:propose). The result is validated as a
 * whole snapshot: a broken rule is a 422 naming the field. A proposal that changes nothing
 * is refused; the same request again answers with the proposal it made.
 */
export async function proposePolicyChange(actor: Actor, input: unknown): Promise<PolicyProposalView> {
  const user = assertPersonCan(actor, "policies:propose");
  const d = parseInput(proposePolicyInputSchema, input);
  const base = (await policiesById([d.baseSnapshotId])).get(d.baseSnapshotId);
  if (!base) throw new NotFoundError(`No policy snapshot "${d.baseSnapshotId}".`);
  // Only the numbers that differ from the base change (the form sends every field).
  const values = Object.fromEntries(Object.entries(d.values).filter(([path, v]) => valueAt(base.snapshot, path) !== v));
  let canaries: { ids: string[]; signatures: unknown[] } | undefined;
  if (d.canaryIds !== undefined || d.canarySignatures !== undefined) {
    canaries = {
      ids: d.canaryIds !== undefined ? idsFromText(d.canaryIds) : [...base.snapshot.canaries.ids],
      signatures: d.canarySignatures !== undefined ? signaturesFromText(d.canarySignatures) : base.snapshot.canaries.signatures,
    };
  }
  let snapshot = editedSnapshot(base.snapshot, { values, ...(canaries ? { canaries: canaries as PolicyEdits["canaries"] } : {}) });
  if (canaries || Object.keys(values).some(changesFragility)) {
    // θ follows TARGET_FRAGILE_RATE unless θ itself is edited; the batch-hold base rate is the
    // proposal's own share of fragile reference records (gating spec §3.2, §6.2).
    const derived = fragilityThreshold(referenceTrainingRecords(), snapshot, { chooseTheta: "thresholds.TARGET_FRAGILE_RATE" in values && !("theta" in values) });
    const { id: _id, ...content } = snapshot;
    snapshot = snapshotNamedByContent({ ...content, theta: derived.theta, realisedFragileRate: derived.realisedFragileRate });
  }
  const changes = policyDiff(base.snapshot, snapshot).length;
  if (changes === 0) throw new ValidationError("The proposal changes nothing: edit at least one value or canary.", { values: ["change at least one value"] });
  return proposeAgainstActive(user, d, { snapshot, source: "edited", kind: "change", changes });
}

/**
 * Proposes a calibration output (`npm run calibrate`'s snapshot file) as it is
 * (policies:propose): validated whole, a broken rule a 422 naming the field; named by its
 * content like every snapshot.
 */
export async function proposeUploadedPolicy(actor: Actor, input: unknown): Promise<PolicyProposalView> {
  const user = assertPersonCan(actor, "policies:propose");
  const d = parseInput(proposeUploadInputSchema, input);
  const base = (await policiesById([d.baseSnapshotId])).get(d.baseSnapshotId);
  if (!base) throw new NotFoundError(`No policy snapshot "${d.baseSnapshotId}".`);
  let content: unknown;
  try {
    content = JSON.parse(d.snapshot);
  } catch {
    throw new ValidationError("Some fields are not valid.", { snapshot: ["must be a JSON policy snapshot (the file npm run calibrate writes)"] });
  }
  let snapshot: PolicySnapshot;
  try {
    snapshot = snapshotNamedByContent(content);
  } catch (error) {
    if (error instanceof GatingValidationError) throw new ValidationError(`The uploaded snapshot is not valid: ${error.message}`, error.fieldErrors);
    throw error;
  }
  const changes = policyDiff(base.snapshot, snapshot).length;
  if (changes === 0) throw new ValidationError("The uploaded snapshot holds the same values as the active policy.", { snapshot: ["changes nothing"] });
  return proposeAgainstActive(user, d, { snapshot, source: "upload", kind: "change", changes });
}

/** Proposes making an earlier snapshot active again, through the same approval (policies:propose). */
export async function proposePolicyRollback(actor: Actor, input: unknown): Promise<PolicyProposalView> {
  const user = assertPersonCan(actor, "policies:propose");
  const d = parseInput(proposeRollbackInputSchema, input);
  const snapshots = await policiesById([d.baseSnapshotId, d.targetSnapshotId]);
  const target = snapshots.get(d.targetSnapshotId);
  if (!target) throw new NotFoundError(`No policy snapshot "${d.targetSnapshotId}" to roll back to.`);
  const base = snapshots.get(d.baseSnapshotId);
  if (!base) throw new NotFoundError(`No policy snapshot "${d.baseSnapshotId}".`);
  if (d.targetSnapshotId === d.baseSnapshotId) throw new ValidationError(`${d.targetSnapshotId} is already the active policy.`, { targetSnapshotId: ["is the active policy"] });
  const changes = policyDiff(base.snapshot, target.snapshot).length;
  return proposeAgainstActive(user, d, { snapshot: target.snapshot, source: "rollback", kind: "rollback", changes });
}

/**
 * Approves (and so activates) or rejects a waiting proposal (policies:approve), never the
 * decider's own. Approval refuses when the active snapshot is no longer the proposal's base.
 */
export async function decidePolicyProposal(actor: Actor, input: unknown): Promise<PolicyProposalView> {
  const user = assertPersonCan(actor, "policies:approve");
  const d = parseInput(decidePolicyInputSchema, input);
  return orProposalReplayed(d.requestId, () =>
    transaction(async (client) => {
      const p = (await client.query<{ id: string; snapshot_id: string; base_snapshot_id: string; status: string; proposed_by: string; decided_seq: string | null }>(
        "SELECT id, snapshot_id, base_snapshot_id, status, proposed_by, decided_seq::text AS decided_seq FROM policy_proposals WHERE id = $1 FOR UPDATE",
        [d.proposalId],
      )).rows[0];
      if (!p) throw new NotFoundError(`No policy proposal ${d.proposalId}.`);
      if (p.status !== "proposed") throw new ConflictError(`This proposal was already ${p.status} (edit-log entry #${p.decided_seq}). Reload to see who decided it.`);
      if (p.proposed_by === user.id) throw new ForbiddenError("You proposed this change: a second governance user must approve or reject it.");
      const entry = (action: string, before: unknown, after: unknown, requestId?: string) =>
        appendEntry(client, userEntry(user, { subjectType: "policy", subjectId: p.snapshot_id, action, before: before as never, after: after as never, reasonText: d.reason, ...(requestId ? { requestId } : {}) }), null);
      let decidedSeq: string;
      if (d.decision === "approve") {
        const activeId = await activeUnderLock(client, p.base_snapshot_id, (now) => `The active policy is no longer the one this proposal was made against (it is now ${now}): re-run the what-if and propose again.`);
        decidedSeq = (await entry("approve", { proposal: p.id }, { approved: true }, d.requestId)).seq;
        await client.query("UPDATE policy_snapshots SET active = false WHERE id = $1", [activeId]);
        await client.query("UPDATE policy_snapshots SET active = true, activated_at = now() WHERE id = $1", [p.snapshot_id]);
        const queued = await staleQueueCount(client, p.snapshot_id);
        const activation = await entry("activate", { active: activeId }, { active: p.snapshot_id, proposal: p.id, queuedToRegate: queued });
        // The queue is re-gated after this commits (lib/data/regating.ts); the run names this entry as its cause.
        await startRegating(client, activation.seq, p.snapshot_id, queued);
      } else {
        decidedSeq = (await entry("reject", { proposal: p.id }, { approved: false }, d.requestId)).seq;
      }
      await client.query("UPDATE policy_proposals SET status = $2, decided_by = $3, decided_at = now(), decided_seq = $4, decision_reason = $5 WHERE id = $1", [
        p.id,
        d.decision === "approve" ? "approved" : "rejected",
        user.id,
        decidedSeq,
        d.reason,
      ]);
      return p.id;
    }),
  );
}
