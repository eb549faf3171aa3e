/**
 * Ingest of the five machine logs (spec/minority-events.md): one append-only table,
 * idempotent per natural key (a row equal to any earlier version of its key is a no-op —
 * the database refuses a second copy too — new content under a known key is its next
 * version), every ingest counted for the pipeline's error rate.
 */
import { NotFoundError, ValidationError, type FieldErrors } from "@/lib/errors";
import { LOG_NAMES, naturalKey, parseLogRows, rowContentHash, writtenAtAheadError, type LogName, type LogRow } from "@/lib/mrs";
import { actorTokenId, assertScope, type Actor } from "@/lib/auth/actor";
import { db, transaction } from "../db";
import { refreshReports, refreshStaleEventViews } from "./current";

export interface LogIngestSummary {
  log: LogName;
  received: number;
  /** rows whose natural key was new */
  stored: number;
  /** rows that were a new version of a known key */
  versioned: number;
  /** replays: same key, same content */
  unchanged: number;
}

const isLogName = (log: string): log is LogName => (LOG_NAMES as readonly string[]).includes(log);

/** Latest detected windowStart per report (for the ended rows' end ≥ start rule). */
async function knownWindowStarts(reportIds: string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map();
  const rows = (
    await db().pool.query<{ report_id: string; window_start: string }>(
      `SELECT DISTINCT ON (report_id) report_id, row->>'windowStart' AS window_start FROM event_log_rows
       WHERE log = 'detected' AND report_id = ANY($1::text[]) ORDER BY report_id, written_at DESC, version DESC`,
      [reportIds],
    )
  ).rows;
  return new Map(rows.map((r) => [r.report_id, r.window_start]));
}

/**
 * Ingests a batch of one machine log's rows (token scope `events:ingest`): validated whole
 * (every problem named by `rows.i.field`), all or nothing, idempotent per natural key.
 */
export async function ingestEventLogRows(
  actor: Actor,
  log: string,
  body: unknown,
  now: Date = new Date(),
  /** `views: false` stores the rows alone: only bench:events, to price the views' upkeep */
  options: { views?: boolean } = {},
): Promise<LogIngestSummary> {
  const views = options.views ?? true;
  assertScope(actor, "events:ingest");
  if (!isLogName(log)) throw new NotFoundError(`Unknown log "${log}": one of ${LOG_NAMES.join(", ")}.`);
  const sent: unknown[] = Array.isArray((body as { rows?: unknown })?.rows) ? (body as { rows: unknown[] }).rows : [];
  const candidateIds = sent.map((r) => (r as { reportId?: unknown })?.reportId).filter((id): id is string => typeof id === "string");
  const received = sent.length;
  /** A refused batch stores nothing: all its rows count as rejected (spec §9 error rate). */
  const refuse = async (error: ValidationError): Promise<never> => {
    await db().pool.query("INSERT INTO event_log_ingests (log, token_id, received, accepted, rejected) VALUES ($1, $2, $3, 0, $3)", [log, actorTokenId(actor), received]);
    throw error;
  };
  const parsed = parseLogRows(log, body, log === "ended" ? await knownWindowStarts(candidateIds) : new Map());
  if (!parsed.ok) return refuse(new ValidationError(parsed.error, parsed.fieldErrors));
  const rows = parsed.data as LogRow[];
  const recordedAt = now.toISOString();
  const fields: FieldErrors = {};
  const keyed = rows.map((row, i) => {
    const ahead = writtenAtAheadError(row.writtenAt, recordedAt, "writtenAt");
    if (ahead) fields[`rows.${i}.writtenAt`] = [ahead];
    return { row, i, key: naturalKey(log, row as never), hash: rowContentHash(log, row as never) };
  });
  // One key twice in a body is ambiguous unless it is the same content.
  const firstByKey = new Map<string, (typeof keyed)[number]>();
  for (const k of keyed) {
    const first = firstByKey.get(k.key);
    if (!first) firstByKey.set(k.key, k);
    else if (first.hash !== k.hash) fields[`rows.${k.i}`] = [`repeats the natural key of rows.${first.i} with other content; send versions in separate requests`];
  }
  // Stages fail and arrive independently (spec §6): a cohort or ended row for a report not
  // detected yet is stored, and the report joins its event when the detection arrives.
  if (Object.keys(fields).length > 0) return refuse(new ValidationError("Some rows are not valid; nothing was stored.", fields));
  const unique = [...firstByKey.values()];

  if (views) await refreshStaleEventViews();
  return transaction(async (client) => {
    // Ingest of one log is serialized: versions are taken from the latest row per key.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('event_log_rows:' || $1))", [log]);
    // Each known key's latest version and every content it ever had: a row equal to any of
    // them is a replay (sending A, B, A, B stores two versions), whatever came between.
    const latest = new Map(
      (
        await client.query<{ natural_key: string; version: number; hashes: string[] }>(
          `SELECT natural_key, max(version) AS version, array_agg(content_hash) AS hashes FROM event_log_rows
           WHERE log = $1 AND natural_key = ANY($2::text[]) GROUP BY natural_key`,
          [log, unique.map((k) => k.key)],
        )
      ).rows.map((r) => [r.natural_key, r]),
    );
    const fresh = unique.filter((k) => !latest.get(k.key)?.hashes.includes(k.hash));
    if (fresh.length > 0) {
      await client.query(
        `INSERT INTO event_log_rows (log, natural_key, version, report_id, content_hash, row, written_at, recorded_at, token_id)
         SELECT $1, u.natural_key, u.version, u.report_id, u.content_hash, u.row::jsonb, u.written_at::timestamptz, $7, $8
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $9::text[]) AS u(natural_key, version, report_id, content_hash, row, written_at)`,
        [
          log,
          fresh.map((k) => k.key),
          fresh.map((k) => (latest.get(k.key)?.version ?? 0) + 1),
          fresh.map((k) => k.row.reportId),
          fresh.map((k) => k.hash),
          fresh.map((k) => JSON.stringify(k.row)),
          recordedAt,
          actorTokenId(actor),
          fresh.map((k) => k.row.writtenAt),
        ],
      );
    }
    // The current views of the reports touched, and of the events they left or joined, in this transaction.
    if (views) await refreshReports(client, fresh.map((k) => k.row.reportId));
    await client.query("INSERT INTO event_log_ingests (log, token_id, received, accepted, rejected) VALUES ($1, $2, $3, $3, 0)", [log, actorTokenId(actor), rows.length]);
    const versioned = fresh.filter((k) => latest.has(k.key)).length;
    return { log, received: rows.length, stored: fresh.length - versioned, versioned, unchanged: rows.length - fresh.length };
  });
}
