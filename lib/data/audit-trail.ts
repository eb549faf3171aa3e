/**
 * Audit trails (governance spec §3): everything that happened to one subject, machine and
 * human, in time order — for a record its gating result versions (each with its batch and
 * policy snapshot), the label feedback received and every edit-log entry with its chain
 * position; for a batch, a report, an event or a policy snapshot their machine rows and
 * entries; for a model version (the scorer version ingested records carry) the first and
 * latest result it scored and the human decisions on its results week by week (from the
 * override register's rollup); for a model by its name, its promotions and rollbacks (the
 * edit-log entries lib/data/model-promotions.ts writes). Governance
 * (governance:read) and read-scoped tokens.
 */
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { NotFoundError } from "@/lib/errors";
import type { SubjectType, TrailSubject } from "@/lib/ledger/entry";
import { db } from "./db";
import { subjectEntries } from "./ledger";


export interface TrailItem {
  /** ISO instant */
  at: string;
  /** machine: a gating result, a batch, an event-log row, a policy snapshot; label: label feedback; human: an edit-log entry */
  kind: "machine" | "label" | "human";
  title: string;
  /** what else the row says (ids, versions, route, reasons, the entry's reason) */
  facts: Record<string, string | number | boolean | null>;
  /** for edit-log entries: chain position, hash and the subject's version after it */
  chain?: { seq: string; hash: string; subjectVersion: number; subject: string };
}

export interface AuditTrail {
  subjectType: TrailSubject;
  subjectId: string;
  items: TrailItem[];
}

const iso = (d: Date) => d.toISOString();

async function machineItems(type: TrailSubject, id: string): Promise<{ items: TrailItem[]; related: { type: SubjectType; id: string }[] } | null> {
  const { pool } = db();
  if (type === "record") {
    const results = await pool.query<{ version: number; batch_id: string; policy_id: string; route: string; decision: boolean; fragile: boolean; reason_codes: string[]; p10: number; p50: number; p90: number; created_at: Date }>(
      "SELECT version, batch_id, policy_id, route::text, decision, fragile, reason_codes, p10, p50, p90, created_at FROM gating_results WHERE record_id = $1 ORDER BY version",
      [id],
    );
    if (results.rowCount === 0) return null;
    const labels = await pool.query<{ source: string; label: boolean; observed_at: Date; received_at: Date }>(
      "SELECT source, label, observed_at, received_at FROM record_labels WHERE record_id = $1 ORDER BY received_at, id",
      [id],
    );
    return {
      items: [
        ...results.rows.map((r) => ({
          at: iso(r.created_at),
          kind: "machine" as const,
          title: `Gated, version ${r.version}: ${r.route}${r.fragile ? " (fragile)" : ""}`,
          facts: { batch: r.batch_id, policy: r.policy_id, machineLabel: r.decision, p10: r.p10, p50: r.p50, p90: r.p90, reasons: r.reason_codes.join(" ") || null },
        })),
        ...labels.rows.map((l) => ({ at: iso(l.received_at), kind: "label" as const, title: `Label feedback from ${l.source}: ${l.label}`, facts: { source: l.source, label: l.label, observedAt: iso(l.observed_at) } })),
      ],
      // A batch release moves the record's hold: the trail shows those entries too.
      related: [...new Set(results.rows.map((r) => r.batch_id))].map((b) => ({ type: "batch" as const, id: b })),
    };
  }
  if (type === "batch") {
    const b = (
      await pool.query<{ policy_id: string; size: number; fragile_count: number; p_value: number; held: boolean; audit_count: number; auto_count: number; created_at: Date }>(
        "SELECT policy_id, size, fragile_count, p_value, held, audit_count, auto_count, created_at FROM ingest_batches WHERE id = $1",
        [id],
      )
    ).rows[0];
    if (!b) return null;
    return {
      items: [
        {
          at: iso(b.created_at),
          kind: "machine",
          title: `Ingested: ${b.size} records, ${b.audit_count} to audit${b.held ? ", held" : ""}`,
          facts: { policy: b.policy_id, fragile: b.fragile_count, pValue: b.p_value, held: b.held, auto: b.auto_count, audit: b.audit_count },
        },
      ],
      related: [],
    };
  }
  if (type === "policy") {
    const p = (await pool.query<{ hash: string; source: string; active: boolean; created_at: Date; activated_at: Date | null }>("SELECT hash, source, active, created_at, activated_at FROM policy_snapshots WHERE id = $1", [id])).rows[0];
    if (!p) return null;
    const items: TrailItem[] = [{ at: iso(p.created_at), kind: "machine", title: `Snapshot stored (${p.source})`, facts: { hash: p.hash, active: p.active } }];
    if (p.activated_at) items.push({ at: iso(p.activated_at), kind: "machine", title: "Activated", facts: { hash: p.hash } });
    return { items, related: [] };
  }
  if (type === "model") {
    // By id, not by a scorer-version index the ingest would have to keep: the first and the
    // latest result stop at the first match from either end of the table.
    const scored = (sql: string) =>
      pool.query<{ record_id: string; batch_id: string; policy_id: string; created_at: Date }>(`SELECT record_id, batch_id, policy_id, created_at FROM gating_results WHERE scorer_version = $1 ORDER BY id ${sql} LIMIT 1`, [id]);
    const first = (await scored("ASC")).rows[0];
    const entries = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM edit_log WHERE subject_type = 'model' AND subject_id = $1", [id]);
    if (!first && entries.rows[0]!.n === 0) return null;
    const items: TrailItem[] = [];
    if (first) {
      const latest = (await scored("DESC")).rows[0]!;
      const weeks = await pool.query<{ week: Date; decisions: number; overrides: number; amendments: number }>(
        "SELECT week, decisions, overrides, amendments FROM override_rollup WHERE dimension = 'scorer' AND key = $1 AND (decisions <> 0 OR amendments <> 0) ORDER BY week",
        [id],
      );
      const scoredItem = (title: string, r: typeof first) => ({ at: iso(r.created_at), kind: "machine" as const, title, facts: { record: r.record_id, batch: r.batch_id, policy: r.policy_id } });
      items.push(scoredItem("First result scored by this version", first));
      for (const w of weeks.rows) {
        items.push({
          // A week's decisions come after the version first scored, even in the week it started.
          at: iso(new Date(Math.max(w.week.getTime(), first.created_at.getTime()))),
          kind: "machine",
          title: `Week of ${iso(w.week).slice(0, 10)}: ${w.decisions} human decision(s) on its results, ${w.overrides} override(s)`,
          facts: { decisions: w.decisions, overrides: w.overrides, amendments: w.amendments },
        });
      }
      if (latest.record_id !== first.record_id || latest.created_at.getTime() !== first.created_at.getTime()) items.push(scoredItem("Latest result scored by this version", latest));
    }
    return { items, related: [] };
  }
  // Reports and events: the machine log rows that name them.
  const rows = await pool.query<{ log: string; version: number; report_id: string; written_at: Date; recorded_at: Date; content_hash: string }>(
    type === "report"
      ? "SELECT log, version, report_id, written_at, recorded_at, content_hash FROM event_log_rows WHERE report_id = $1 ORDER BY recorded_at, id"
      : "SELECT log, version, report_id, written_at, recorded_at, content_hash FROM event_log_rows WHERE row->>'eventId' = $1 ORDER BY recorded_at, id",
    [id],
  );
  const entries = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM edit_log WHERE subject_type = $1 AND subject_id = $2", [type, id]);
  if (rows.rowCount === 0 && entries.rows[0]!.n === 0) return null;
  return {
    items: rows.rows.map((r) => ({
      at: iso(r.recorded_at),
      kind: "machine" as const,
      title: `${r.log} row, version ${r.version}${type === "event" ? ` (report ${r.report_id})` : ""}`,
      facts: { writtenAt: iso(r.written_at), contentHash: r.content_hash },
    })),
    related: [],
  };
}

/** The subject's trail, oldest first; 404 when the console has never seen it. */
export async function auditTrail(actor: Actor, subjectType: TrailSubject, subjectId: string): Promise<AuditTrail> {
  assertCanRead(actor, "governance:read");
  const machine = await machineItems(subjectType, subjectId);
  if (!machine) throw new NotFoundError(`No ${subjectType} "${subjectId}" is known to the console.`);
  const entries = await subjectEntries([{ type: subjectType, id: subjectId }, ...machine.related]);
  const human: TrailItem[] = entries.map((e) => ({
    at: e.recordedAt,
    kind: "human",
    title: `${e.entry.action}${e.subjectType !== subjectType ? ` of ${e.subjectType} ${e.subjectId}` : ""} by ${e.entry.actor.type === "user" ? (e.actorName ?? "unknown user") : `system (${e.entry.actor.rule})`}`,
    facts: {
      reasonCode: e.entry.reasonCode ?? null,
      reasonText: e.entry.reasonText ?? null,
      effectiveAt: e.entry.effectiveAt,
    },
    chain: { seq: e.seq, hash: e.hash, subjectVersion: e.subjectVersion, subject: `${e.subjectType}/${e.subjectId}` },
  }));
  // Time order; at the same instant machine rows first, then labels, then people (chain order among entries).
  const rank = { machine: 0, label: 1, human: 2 } as const;
  const items = [...machine.items, ...human].sort((a, b) => a.at.localeCompare(b.at) || rank[a.kind] - rank[b.kind] || Number(a.chain?.seq ?? 0) - Number(b.chain?.seq ?? 0));
  return { subjectType, subjectId, items };
}
