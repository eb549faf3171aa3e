/**
 * Governance alerts (governance spec §3): raised by evaluating the rules of
 * lib/governance/alerts.ts on the governance figures — on a schedule
 * (`ALERT_EVALUATION_MINUTES`, instrumentation.ts), at the end of the first-run seed, and
 * when a governance user asks — and acknowledged once, with a note, by a governance user:
 * the acknowledgement is an edit-log entry (subject `alert`), written in the transaction
 * that marks the alert.
 */
import * as z from "zod";
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { ConflictError, NotFoundError, ReplayedRequestError } from "@/lib/errors";
import { ALERT_RULES, raisedAlerts, type AlertRule } from "@/lib/governance/alerts";
import { transaction, db } from "./db";
import { parseInput } from "./input";
import { addDays } from "@/lib/governance/window";
import { routingDrift } from "./drift";
import { eventPipelineFigures } from "./events/governance";
import { appendEntry, findRequestEntry, userEntry, verifyLedger, type AppendedEntry } from "./ledger";
import { overrideRegister } from "./override-register";
import { labelledRoutingQuality, routingDaily } from "./routing-health";
import { fragileLabelledByDay } from "./slices";

/** How far back the evaluation looks: the days of routing health and the weeks of the override register. */
const EVALUATION_DAYS = 7;
const EVALUATION_WEEKS = 2;
/** The fragile FP/FN spike compares each evaluated day with the fragile records of this many days before. */
const SPIKE_BASELINE_DAYS = 28;

export interface AlertView {
  id: string;
  rule: AlertRule;
  key: string;
  title: string;
  detail: string;
  raisedAt: string;
  lastSeenAt: string;
  acknowledged: { seq: string; by: string; name: string | null; at: string; note: string | null } | null;
}

/**
 * Evaluates every rule and raises what is new (an alert already raised for the same rule
 * and key is only marked seen again). For the system (the operator) and governance users.
 * Returns the alerts raised by this evaluation.
 */
export async function evaluateAlerts(actor: Actor, now: Date = new Date()): Promise<number> {
  if (actor.kind !== "operator") assertCanRead(actor, "governance:read");
  const system: Actor = { kind: "operator" };
  const [routing, register, ledger, drift, pipeline] = await Promise.all([
    routingDaily(system, { days: EVALUATION_DAYS, now }),
    overrideRegister(system, { weeks: EVALUATION_WEEKS, now }),
    verifyLedger(system),
    routingDrift(system, { days: EVALUATION_DAYS, now }),
    eventPipelineFigures(system, { days: 1, now }),
  ]);
  const quality = await labelledRoutingQuality(routing.from);
  const fragile = await fragileLabelledByDay(addDays(routing.from, -SPIKE_BASELINE_DAYS));
  const zero = { labelled: 0, positives: 0, falsePos: 0, falseNeg: 0 };
  const baseline = fragile.filter((d) => d.day < routing.from).reduce((a, d) => ({ labelled: a.labelled + d.labelled, positives: a.positives + d.positives, falsePos: a.falsePos + d.falsePos, falseNeg: a.falseNeg + d.falseNeg }), zero);
  const raised = raisedAlerts({
    today: now.toISOString().slice(0, 10),
    days: routing.series,
    canaries: routing.canaries,
    weeks: register.trend,
    overrideThreshold: register.threshold,
    quality: quality.figures ? { released: quality.figures.released, releasedErrorUpper: quality.figures.releasedErrorUpper, targetReleaseError: routing.policy.targetReleaseError } : null,
    drift: drift.variables,
    fragileErrors: { days: fragile.filter((d) => d.day >= routing.from), baseline },
    eventStages: pipeline.stages,
    ledger: ledger.ok ? { ok: true } : { ok: false, seq: ledger.firstBad?.seq ?? "?", reason: ledger.firstBad?.reason ?? "the chain does not verify" },
  });
  if (raised.length === 0) return 0;
  const r = await db().pool.query<{ inserted: boolean }>(
    `INSERT INTO alerts (rule, key, title, detail, raised_at, last_seen_at)
     SELECT t.rule, t.key, t.title, t.detail, $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(rule, key, title, detail)
     ON CONFLICT (rule, key) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, detail = EXCLUDED.detail
     RETURNING (xmax = 0) AS inserted`,
    [raised.map((a) => a.rule), raised.map((a) => a.key), raised.map((a) => a.title), raised.map((a) => a.detail), now.toISOString()],
  );
  return r.rows.filter((x) => x.inserted).length;
}

type AlertRow = { id: string; rule: AlertRule; key: string; title: string; detail: string; raised_at: Date; last_seen_at: Date; acknowledged_seq: string | null; acknowledged_by: string | null; acknowledged_at: Date | null; name: string | null; c: string | null };

function toView(r: AlertRow): AlertView {
  return {
    id: r.id,
    rule: r.rule,
    key: r.key,
    title: r.title,
    detail: r.detail,
    raisedAt: r.raised_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    acknowledged:
      r.acknowledged_seq === null
        ? null
        : { seq: r.acknowledged_seq, by: r.acknowledged_by!, name: r.name, at: r.acknowledged_at!.toISOString(), note: r.c ? ((JSON.parse(r.c) as { reasonText: string | null }).reasonText ?? null) : null },
  };
}

/** Alerts, open ones first then newest first (at most 500). People with dashboards:read (managers read them); tokens with read. */
export async function listAlerts(actor: Actor, options: { status: "open" | "all" }): Promise<AlertView[]> {
  assertCanRead(actor, "dashboards:read");
  const rows = await db().pool.query<AlertRow>(
    `SELECT a.id::text AS id, a.rule, a.key, a.title, a.detail, a.raised_at, a.last_seen_at, a.acknowledged_seq::text AS acknowledged_seq, a.acknowledged_by::text AS acknowledged_by, a.acknowledged_at, u.name, e.c
     FROM alerts a LEFT JOIN users u ON u.id = a.acknowledged_by LEFT JOIN edit_log e ON e.seq = a.acknowledged_seq
     WHERE $1 = 'all' OR a.acknowledged_seq IS NULL
     ORDER BY a.acknowledged_seq IS NOT NULL, a.raised_at DESC, a.id DESC LIMIT 500`,
    [options.status],
  );
  return rows.rows.map(toView);
}

/** Open alerts, for the navigation's badge; 0 for roles that do not see alerts. */
export async function openAlertCount(actor: Actor): Promise<number> {
  if (actor.kind !== "user" || !["governance", "manager"].includes(actor.role)) return 0;
  return (await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM alerts WHERE acknowledged_seq IS NULL")).rows[0]!.n;
}

export const acknowledgeAlertInputSchema = z.strictObject({
  alertId: z.string().regex(/^\d{1,19}$/, { error: "must be an alert id" }),
  note: z.string().trim().min(1, { error: "is required: say what was checked or done" }).max(2000, { error: "must be at most 2000 characters" }),
  requestId: z.uuid({ error: "must be a UUID" }),
});

/** A governance user acknowledges an open alert with a note: one edit-log entry, the alert marked, together. */
export async function acknowledgeAlert(actor: Actor, input: unknown): Promise<AppendedEntry & { replayed: boolean }> {
  const user = assertPersonCan(actor, "alerts:acknowledge");
  const d = parseInput(acknowledgeAlertInputSchema, input);
  try {
    return await transaction(async (client) => {
      const alert = (await client.query<{ rule: AlertRule; key: string; acknowledged_seq: string | null }>("SELECT rule, key, acknowledged_seq::text AS acknowledged_seq FROM alerts WHERE id = $1 FOR UPDATE", [d.alertId])).rows[0];
      if (!alert) throw new NotFoundError(`No alert ${d.alertId}.`);
      if (alert.acknowledged_seq !== null) throw new ConflictError(`Alert ${d.alertId} was already acknowledged (edit-log entry #${alert.acknowledged_seq}). Reload to see who did.`);
      const now = new Date().toISOString();
      const entry = await appendEntry(
        client,
        userEntry(user, { subjectType: "alert", subjectId: d.alertId, action: "acknowledge", before: { open: true, rule: alert.rule, key: alert.key, title: ALERT_RULES[alert.rule] ?? alert.rule }, after: { open: false }, reasonText: d.note, requestId: d.requestId, effectiveAt: now }),
        null,
      );
      await client.query("UPDATE alerts SET acknowledged_seq = $2, acknowledged_by = $3, acknowledged_at = $4 WHERE id = $1", [d.alertId, entry.seq, user.id, now]);
      return { ...entry, replayed: false };
    });
  } catch (error) {
    // The same request again (a double click, a retry): the first acknowledgement answers.
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const earlier = await findRequestEntry(db().pool, "alert", d.alertId, d.requestId);
    if (!earlier) throw error;
    return { ...earlier, replayed: true };
  }
}
