/**
 * Policy snapshots in the database (gating spec §1.3). Exactly one is active; on first
 * use the committed default (`models/default-policy.json`, from `npm run calibrate`) is
 * loaded and activated. Snapshots are immutable: a new policy is a new row.
 */
import { computeSnapshotHash, parsePolicySnapshot, type PolicySnapshot } from "@/lib/gating";
import { readPolicyFile } from "@/lib/reference-data";
import type { Pool, PoolClient } from "pg";
import { db, transaction } from "./db";

export interface ActivePolicy {
  readonly snapshot: PolicySnapshot;
  readonly hash: string;
}

/** Parsed snapshots by id: rows never change, so a parse is good for the process's life. */
const parsed = new Map<string, ActivePolicy>();

/**
 * The active policy, activating the committed default when none is active yet. An advisory
 * lock makes concurrent first calls activate it once.
 */
export async function activePolicy(): Promise<ActivePolicy> {
  const { pool } = db();
  let row = (await pool.query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active")).rows[0];
  if (!row) row = { id: await activateDefaultPolicy() };
  return (await policiesById([row.id])).get(row.id)!;
}

/**
 * Snapshots by id (those the rows of a page were gated with), each read and parsed once per
 * process. Inside a transaction pass its client: waiting for a second pool connection while
 * holding one (and its row locks) can wait for ever on a busy pool.
 */
export async function policiesById(ids: readonly string[], client: Pool | PoolClient = db().pool): Promise<ReadonlyMap<string, ActivePolicy>> {
  const unknown = [...new Set(ids)].filter((id) => !parsed.has(id));
  if (unknown.length) {
    const rows = (await client.query<{ id: string; content: unknown; hash: string }>("SELECT id, content, hash FROM policy_snapshots WHERE id = ANY($1)", [unknown])).rows;
    for (const r of rows) parsed.set(r.id, { snapshot: parsePolicySnapshot(withFieldsAddedLater(r.content)), hash: r.hash });
  }
  return parsed;
}

/**
 * A snapshot stored before the schema gained a field reads with the value that keeps its
 * results' meaning: no audit-priority model and no spend-derived cap terms (as it gated),
 * holds from batch size 1 (as it held), the §11 release settings at their defaults (they
 * only calibrate), and without the retired TARGET_AUDIT_RATE. Stored rows never change;
 * the row's own hash stays the policy's hash.
 */
function withFieldsAddedLater(content: unknown): unknown {
  if (!content || typeof content !== "object") return content;
  const c = content as Record<string, unknown>;
  const thresholds = c.thresholds && typeof c.thresholds === "object" ? { ...(c.thresholds as Record<string, unknown>) } : c.thresholds;
  if (thresholds && typeof thresholds === "object") {
    const t = thresholds as Record<string, unknown>;
    delete t.TARGET_AUDIT_RATE;
    t.TARGET_RELEASE_ERROR ??= 0.15;
    t.RELEASE_DELTA ??= 0.05;
    t.CAPS_TARGET_RATE ??= 0.05;
    t.BATCH_HOLD_MIN_N ??= 1;
  }
  return { ...c, thresholds, spendDerivedFeatures: c.spendDerivedFeatures ?? [], auditPriority: c.auditPriority ?? null };
}

async function activateDefaultPolicy(): Promise<string> {
  const snapshot = readPolicyFile();
  const hash = computeSnapshotHash(snapshot);
  return transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('sentinel.policy_activation'))");
    const active = (await client.query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active")).rows[0];
    if (active) return active.id;
    await client.query(
      `INSERT INTO policy_snapshots (id, hash, content, source, active, activated_at)
       VALUES ($1, $2, $3::jsonb, 'default', true, now())
       ON CONFLICT (id) DO UPDATE SET active = true, activated_at = now()`,
      [snapshot.id, hash, JSON.stringify(snapshot)],
    );
    return snapshot.id;
  });
}
