/**
 * Label feedback (governance spec §3): the observed outcomes of records, sent by machines
 * after the records were gated and decided. Append-only (a trigger refuses changes), one
 * label per record and source, and all or nothing per request:
 *  - a record that was never ingested → 422 naming it;
 *  - a label contradicting the one stored for the same record and source → 409 naming it
 *    (also when the contradicting label arrives at the same moment from another request:
 *    the unique index makes the later insert wait for the first and then see it);
 *  - the same label again → nothing written, counted as unchanged (so a retry is safe).
 * Which figures count these labels, and which count analyst decisions, is in docs/labels.md.
 */
import type { PoolClient } from "pg";
import { actorTokenId, assertScope, type Actor } from "@/lib/auth/actor";
import { ConflictError, ValidationError, type FieldErrors } from "@/lib/errors";
import { addFieldError } from "@/lib/validations/field-errors";
import { labelBatchSchema, type LabelSummary, type RecordLabelInput } from "@/lib/validations/labels";
import { transaction } from "./db";
import { parseJsonBody } from "./input";

/** How far in the future an observation time may be (clock skew between systems). */
const FUTURE_SKEW_MS = 5 * 60_000;
/** How many offending labels an error message names before "and N more". */
const NAMED = 5;

export interface LabelIngestResult {
  status: 200 | 201;
  summary: LabelSummary;
}

/** `labels[3].recordId`, the way the batch ingest names a field. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "") || "body";
}

function listed(items: readonly string[]): string {
  return items.length <= NAMED ? items.join(", ") : `${items.slice(0, NAMED).join(", ")} and ${items.length - NAMED} more`;
}

/** Parses and validates the body; every problem is listed, nothing is coerced. */
function readLabels(body: string, contentType: string | null, now: number): RecordLabelInput[] {
  const parsed = labelBatchSchema.safeParse(parseJsonBody(body, contentType, "the labels"));
  if (!parsed.success) {
    const fields: FieldErrors = {};
    for (const issue of parsed.error.issues) addFieldError(fields, fieldPath(issue.path), issue.message);
    const [first] = Object.entries(fields);
    throw new ValidationError(`The labels are invalid (first: ${first![0]}: ${first![1][0]}); nothing was written.`, fields);
  }
  const labels = parsed.data.labels;
  const fields: FieldErrors = {};
  const seen = new Map<string, number>();
  labels.forEach((l, i) => {
    if (Date.parse(l.observedAt) > now + FUTURE_SKEW_MS) addFieldError(fields, `labels[${i}].observedAt`, "must not be in the future");
    const key = `${l.recordId}\u0000${l.source}`;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, i);
    else if (labels[earlier]!.label !== l.label) addFieldError(fields, `labels[${i}].label`, `contradicts labels[${earlier}] for the same record and source`);
  });
  const problems = Object.keys(fields);
  if (problems.length > 0) throw new ValidationError(`${problems.length} invalid label(s) (first: ${problems[0]}: ${fields[problems[0]!]![0]}); nothing was written.`, fields);
  return labels;
}

/** 422 naming the labels whose record was never ingested. */
async function refuseUnknownRecords(client: PoolClient, labels: readonly RecordLabelInput[]): Promise<void> {
  const ids = [...new Set(labels.map((l) => l.recordId))];
  const known = new Set(
    (await client.query<{ record_id: string }>("SELECT record_id FROM scored_records WHERE record_id = ANY($1::text[])", [ids])).rows.map((r) => r.record_id),
  );
  const fields: FieldErrors = {};
  const unknown: string[] = [];
  labels.forEach((l, i) => {
    if (known.has(l.recordId)) return;
    addFieldError(fields, `labels[${i}].recordId`, `no record "${l.recordId}" was ever ingested`);
    unknown.push(`"${l.recordId}"`);
  });
  if (unknown.length > 0) throw new ValidationError(`${unknown.length} label(s) name records that were never ingested: ${listed(unknown)}; nothing was written.`, fields);
}

/**
 * Ingests one request of labels for a token (scope `ingest`) or the operator (demo data).
 * 201 when something was written, 200 when every label was already stored as sent.
 */
export async function ingestLabels(actor: Actor, input: { body: string; contentType: string | null }): Promise<LabelIngestResult> {
  assertScope(actor, "ingest");
  const now = Date.now();
  const labels = readLabels(input.body, input.contentType, now);
  const receivedAt = new Date(now).toISOString();
  // Within a request, the same label twice is one label.
  const distinct = [...new Map(labels.map((l) => [`${l.recordId}\u0000${l.source}`, l])).values()];
  const written = await transaction(async (client) => {
    await refuseUnknownRecords(client, distinct);
    const inserted = await client.query<{ record_id: string; source: string }>(
      `INSERT INTO record_labels (record_id, source, label, observed_at, received_at, token_id)
       SELECT t.record_id, t.source, t.label, t.observed_at, $5, $6
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[]) AS t(record_id, source, label, observed_at)
       ORDER BY t.record_id, t.source
       ON CONFLICT (record_id, source) DO NOTHING
       RETURNING record_id, source`,
      [distinct.map((l) => l.recordId), distinct.map((l) => l.source), distinct.map((l) => l.label), distinct.map((l) => l.observedAt), receivedAt, actorTokenId(actor)],
    );
    if (inserted.rowCount === distinct.length) return distinct.length;
    // The rest were stored before (or by a request that committed meanwhile): the same outcome is a replay, another a contradiction.
    const stored = await client.query<{ record_id: string; source: string; label: boolean; received_at: Date }>(
      `SELECT l.record_id, l.source, l.label, l.received_at
       FROM record_labels l JOIN unnest($1::text[], $2::text[]) AS t(record_id, source) USING (record_id, source)`,
      [distinct.map((l) => l.recordId), distinct.map((l) => l.source)],
    );
    const storedLabel = new Map(stored.rows.map((r) => [`${r.record_id}\u0000${r.source}`, r]));
    const contradictions = distinct.flatMap((l) => {
      const s = storedLabel.get(`${l.recordId}\u0000${l.source}`);
      return s && s.label !== l.label ? [`record "${l.recordId}" from "${l.source}" (stored ${s.label} on ${s.received_at.toISOString()}, sent ${l.label})`] : [];
    });
    if (contradictions.length > 0) {
      throw new ConflictError(`${contradictions.length} label(s) contradict the label already stored for the same record and source: ${listed(contradictions)}; nothing was written.`);
    }
    return inserted.rowCount ?? 0;
  });
  return { status: written > 0 ? 201 : 200, summary: { received: labels.length, written, unchanged: distinct.length - written, receivedAt } };
}
