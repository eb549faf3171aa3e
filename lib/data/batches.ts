/** Ingested batches and their hold state (gating spec §6.2). */
import { NotFoundError, ValidationError } from "@/lib/errors";
import { RECORD_ID_PATTERN } from "@/lib/gating";
import { assertCanRead, type Actor } from "./actor";
import { db } from "./db";

export interface BatchDetail {
  id: string;
  policyId: string;
  size: number;
  routes: { auto: number; audit: number };
  fragileCount: number;
  hold: { indicated: boolean; held: boolean; fragileFraction: number; threshold: number; pValue: number; alpha: number };
  createdAt: string;
}

export async function getBatch(actor: Actor, id: string): Promise<BatchDetail> {
  assertCanRead(actor, "queue:read");
  if (!RECORD_ID_PATTERN.test(id)) throw new ValidationError("The batch id is not valid.", { id: ["must be 1–128 characters of [A-Za-z0-9_.:-]"] });
  const row = (
    await db().pool.query<{
      id: string;
      policy_id: string;
      size: number;
      auto_count: number;
      audit_count: number;
      fragile_count: number;
      hold_indicated: boolean;
      held: boolean;
      fragile_fraction: number;
      threshold: number;
      p_value: number;
      alpha: number;
      created_at: Date;
    }>("SELECT * FROM ingest_batches WHERE id = $1", [id])
  ).rows[0];
  if (!row) throw new NotFoundError(`No batch "${id}".`);
  return {
    id: row.id,
    policyId: row.policy_id,
    size: row.size,
    routes: { auto: row.auto_count, audit: row.audit_count },
    fragileCount: row.fragile_count,
    hold: { indicated: row.hold_indicated, held: row.held, fragileFraction: row.fragile_fraction, threshold: row.threshold, pValue: row.p_value, alpha: row.alpha },
    createdAt: row.created_at.toISOString(),
  };
}
