/**
 * Audit trails against real PostgreSQL: a record's trail holds its result versions, its
 * label feedback and every edit-log entry with its chain position, in time order; unknown
 * subjects are 404; only governance reads it.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { assessRecord, compilePolicy } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { auditTrail } from "./audit-trail";
import { decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { ingestLabels } from "./labels";
import { getRecordResult } from "./results";
import { createUser } from "./users";

withTestDatabase();
const governance: Actor = { kind: "user", id: randomUUID(), email: "g@x", name: "G", role: "governance" };

describe("audit trail", () => {
  it("shows a record's versions, its label feedback and the decision with its chain position, oldest first", async () => {
    const policy = readPolicyFile();
    const compiled = compilePolicy(policy);
    const source = scoredReferenceData().find((r) => Math.abs(r.pModel - 0.5) < 0.03 && assessRecord(r, compiled).fragilityScore < policy.theta)!;
    const recordId = `trail-${randomUUID().slice(0, 8)}`;
    for (const batchId of [`${recordId}-a`, `${recordId}-b`]) {
      const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId, records: [{ ...source, recordId }] }), contentType: "application/json", idempotencyKey: null });
      expect(res.status).toBe(201);
    }
    const user = await createUser(OPERATOR, { email: `${recordId}@example.test`, name: "Tia Trail", role: "analyst", password: "correct horse battery" });
    const analyst: Actor = { kind: "user", id: user.id, email: user.email, name: "Tia Trail", role: "analyst" };
    const r = await getRecordResult(analyst, recordId);
    expect(r.current.route).toBe("audit");
    const decided = await decideRecord(analyst, { recordId, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "confirm", requestId: randomUUID() });
    await ingestLabels(OPERATOR, { body: JSON.stringify({ labels: [{ recordId, label: !r.current.decision, observedAt: "2026-12-01T00:00:00Z", source: "claims" }] }), contentType: "application/json" });

    const trail = await auditTrail(governance, "record", recordId);
    expect(trail.items.map((i) => i.kind)).toEqual(["machine", "machine", "human", "label"]);
    expect(trail.items[0]!.title).toMatch(/^Gated, version 1: audit/);
    expect(trail.items[1]!.facts).toMatchObject({ batch: `${recordId}-b`, policy: policy.id });
    expect(trail.items[2]!.title).toBe("confirm by Tia Trail");
    expect(trail.items[2]!.chain).toMatchObject({ seq: decided.seq, subject: `record/${recordId}`, subjectVersion: 1 });
    expect(trail.items[3]!.title).toBe(`Label feedback from claims: ${!r.current.decision}`);
    const times = trail.items.map((i) => i.at);
    expect([...times].sort()).toEqual(times);

    const batch = await auditTrail(governance, "batch", `${recordId}-a`);
    expect(batch.items[0]!.title).toMatch(/^Ingested: 1 records, 1 to audit/);
    const snapshot = await auditTrail(governance, "policy", policy.id);
    expect(snapshot.items.map((i) => i.title)).toContain("Activated");
  });

  it("shows a model version's first and latest scored result and the human decisions on its results by week", async () => {
    const policy = readPolicyFile();
    const compiled = compilePolicy(policy);
    const source = scoredReferenceData().find((r) => Math.abs(r.pModel - 0.5) < 0.03 && assessRecord(r, compiled).fragilityScore < policy.theta)!;
    const scorerVersion = `trail-model-${randomUUID().slice(0, 8)}`;
    const ids = [`${scorerVersion}-1`, `${scorerVersion}-2`];
    for (const recordId of ids) {
      const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId: `${recordId}-b`, records: [{ ...source, recordId, scorerVersion }] }), contentType: "application/json", idempotencyKey: null });
      expect(res.status).toBe(201);
    }
    const user = await createUser(OPERATOR, { email: `${scorerVersion}@example.test`, name: "Mo Model", role: "analyst", password: "correct horse battery" });
    const analyst: Actor = { kind: "user", id: user.id, email: user.email, name: "Mo Model", role: "analyst" };
    const r = await getRecordResult(analyst, ids[0]!);
    await decideRecord(analyst, { recordId: ids[0]!, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "override", reasonCode: "data_error", reasonText: "Checked by hand.", requestId: randomUUID() });

    const trail = await auditTrail(governance, "model", scorerVersion);
    expect(trail.items[0]).toMatchObject({ kind: "machine", title: "First result scored by this version", facts: { record: ids[0], batch: `${ids[0]}-b`, policy: policy.id } });
    expect(trail.items.at(-1)).toMatchObject({ title: "Latest result scored by this version", facts: { record: ids[1] } });
    const week = trail.items.find((i) => i.title.startsWith("Week of"))!;
    expect(week.facts).toEqual({ decisions: 1, overrides: 1, amendments: 0 });
    await expect(auditTrail(governance, "model", `${scorerVersion}-never`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers 404 for a subject the console never saw and 403 to a manager", async () => {
    await expect(auditTrail(governance, "record", "never-seen")).rejects.toBeInstanceOf(NotFoundError);
    await expect(auditTrail(governance, "event", "never-seen")).rejects.toBeInstanceOf(NotFoundError);
    await expect(auditTrail({ ...governance, role: "manager" }, "record", "never-seen")).rejects.toBeInstanceOf(ForbiddenError);
  });
});
