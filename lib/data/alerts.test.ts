/**
 * Alerts against real PostgreSQL: evaluation raises each alert once however often it runs;
 * a governance user acknowledges an open alert once, with a note, in the edit log; a manager
 * may read but not acknowledge; a replayed acknowledgement writes nothing.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { assessRecord, compilePolicy } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { acknowledgeAlert, evaluateAlerts, listAlerts, openAlertCount } from "./alerts";
import { ingestBatch } from "./ingest";
import { createUser } from "./users";

const db = withTestDatabase();
let governance: Extract<Actor, { kind: "user" }>;
const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };

beforeAll(async () => {
  const u = await createUser(OPERATOR, { email: `gov-${randomUUID().slice(0, 8)}@example.test`, name: "Gus Governance", role: "governance", password: "correct horse battery" });
  governance = { kind: "user", id: u.id, email: u.email, name: u.name, role: "governance" };
  // A day whose fragile share is far above its expected 5 %: 40 fragile records of 60.
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  const scored = scoredReferenceData();
  const fragile = scored.filter((r) => assessRecord(r, compiled).fragilityScore >= policy.theta && !r.recordId.startsWith("025")).slice(0, 40);
  const plain = scored.filter((r) => r.pModel < 0.05).slice(0, 20);
  const prefix = randomUUID().slice(0, 8);
  const records = [...fragile, ...plain].map((r, i) => ({ ...r, recordId: `${prefix}-${i}` }));
  const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ records }), contentType: "application/json", idempotencyKey: null });
  expect(res.status).toBe(201);
});

describe("alerts", () => {
  it("raises the out-of-band fragile share once, however often the rules run", async () => {
    await evaluateAlerts(OPERATOR);
    const first = (await listAlerts(governance, { status: "all" })).filter((a) => a.rule === "fragile_share_out_of_band");
    expect(first.length).toBeGreaterThan(0);
    await evaluateAlerts(governance);
    const again = (await listAlerts(governance, { status: "all" })).filter((a) => a.rule === "fragile_share_out_of_band");
    expect(again.map((a) => a.id)).toEqual(first.map((a) => a.id));
    expect(await openAlertCount(manager)).toBeGreaterThan(0);
    expect(await openAlertCount({ ...manager, role: "analyst" })).toBe(0);
    await expect(evaluateAlerts(manager)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("is acknowledged once by governance with a note, in the edit log; a replay writes nothing; a manager may not", async () => {
    await evaluateAlerts(OPERATOR);
    const [alert] = await listAlerts(governance, { status: "open" });
    expect(alert).toBeDefined();
    const requestId = randomUUID();
    await expect(acknowledgeAlert(manager, { alertId: alert!.id, note: "Seen.", requestId })).rejects.toBeInstanceOf(ForbiddenError);
    const noNote = await acknowledgeAlert(governance, { alertId: alert!.id, note: "  ", requestId }).catch((e: unknown) => e);
    expect(noNote).toBeInstanceOf(ValidationError);
    expect((noNote as ValidationError).fields).toEqual({ note: ["is required: say what was checked or done"] });
    await expect(acknowledgeAlert(governance, { alertId: "999999999", note: "x", requestId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);

    const before = await openAlertCount(governance);
    const entry = await acknowledgeAlert(governance, { alertId: alert!.id, note: "Checked the batch: a burst of fragile records from one upstream job.", requestId });
    expect(entry.replayed).toBe(false);
    const replay = await acknowledgeAlert(governance, { alertId: alert!.id, note: "Checked the batch: a burst of fragile records from one upstream job.", requestId });
    expect(replay).toMatchObject({ seq: entry.seq, replayed: true });
    await expect(acknowledgeAlert(governance, { alertId: alert!.id, note: "Again.", requestId: randomUUID() })).rejects.toBeInstanceOf(ConflictError);
    expect(await openAlertCount(governance)).toBe(before - 1);

    const [view] = (await listAlerts(governance, { status: "all" })).filter((a) => a.id === alert!.id);
    expect(view!.acknowledged).toMatchObject({ seq: entry.seq, by: governance.id, name: "Gus Governance", note: "Checked the batch: a burst of fragile records from one upstream job." });
    const logged = (await db.handle().pool.query("SELECT subject_type, subject_id, action FROM edit_log WHERE seq = $1", [entry.seq])).rows[0];
    expect(logged).toEqual({ subject_type: "alert", subject_id: alert!.id, action: "acknowledge" });
    // The database keeps an acknowledgement as it was written.
    await expect(db.handle().pool.query("UPDATE alerts SET acknowledged_by = NULL WHERE id = $1", [alert!.id])).rejects.toThrow(/already acknowledged/);
    await expect(db.handle().pool.query("DELETE FROM alerts WHERE id = $1", [alert!.id])).rejects.toThrow(/permission denied|kept/);
  });
});
