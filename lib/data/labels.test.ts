/**
 * Label feedback against real PostgreSQL: stored once per record and source, replays are
 * no-ops, contradictions and unknown records refuse the whole request, every bad field is
 * named, the table is append-only for the app and its owner, and concurrent contradicting
 * requests leave exactly one outcome.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { BadRequestError, ConflictError, ForbiddenError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";
import { DEMO_LABEL_SOURCE, demoLabels, LABELLED_ROWS } from "@/prisma/demo-labels";
import { referenceRows } from "@/lib/reference-data";
import { ingestBatch } from "./ingest";
import { ingestLabels } from "./labels";

const db = withTestDatabase();
const token = (scopes: ("ingest" | "read")[] = ["ingest"]): Actor => ({ kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@local", scopes });
const OBSERVED = "2026-11-30T12:00:00Z";

/** Ingests `n` fresh records; their ids. */
async function records(n: number): Promise<string[]> {
  const prefix = randomUUID().slice(0, 8);
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const body = {
    batchId: `b-${prefix}`,
    records: ids.map((recordId) => ({
      recordId,
      spend: { RoomService: 0, FoodCourt: 120, ShoppingMall: null, Spa: 0, VRDeck: 35 },
      context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "F/10/S", CryoSleep: false, Age: 31 },
      pModel: 0.2,
      scorerVersion: "upstream-7",
    })),
  };
  const res = await ingestBatch(OPERATOR, { body: JSON.stringify(body), contentType: "application/json", idempotencyKey: null });
  expect(res.status).toBe(201);
  return ids;
}

const send = (actor: Actor, labels: unknown[]) => ingestLabels(actor, { body: JSON.stringify({ labels }), contentType: "application/json" });
const label = (recordId: string, value: boolean, source = "claims") => ({ recordId, label: value, observedAt: OBSERVED, source });

async function storedLabels(ids: string[]): Promise<{ record_id: string; source: string; label: boolean; token_id: string | null }[]> {
  return (
    await db.handle().pool.query("SELECT record_id, source, label, token_id FROM record_labels WHERE record_id = ANY($1::text[]) ORDER BY record_id, source", [ids])
  ).rows;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("label feedback (data layer)", () => {
  it("stores one label per record and source with the token that sent it; the same labels again write nothing", async () => {
    const ids = await records(3);
    const sender = token();
    const first = await send(sender, [label(ids[0]!, true), label(ids[1]!, false), label(ids[1]!, false, "manual-audit")]);
    expect(first.status).toBe(201);
    expect(first.summary).toMatchObject({ received: 3, written: 3, unchanged: 0 });
    const rows = await storedLabels(ids);
    expect(rows.map((r) => [r.record_id, r.source, r.label])).toEqual([
      [ids[0], "claims", true],
      [ids[1], "claims", false],
      [ids[1], "manual-audit", false],
    ]);
    expect(rows.every((r) => r.token_id === (sender as { tokenId: string }).tokenId)).toBe(true);

    const replay = await send(token(), [label(ids[0]!, true), label(ids[1]!, false)]);
    expect(replay.status).toBe(200);
    expect(replay.summary).toMatchObject({ received: 2, written: 0, unchanged: 2 });
    // A replay mixed with a new label writes only the new one.
    const mixed = await send(token(), [label(ids[0]!, true), label(ids[2]!, true)]);
    expect(mixed.summary).toMatchObject({ written: 1, unchanged: 1 });
    expect(await storedLabels(ids)).toHaveLength(4);
  });

  it("refuses the whole request with a 409 naming the record when a label contradicts the stored one", async () => {
    const ids = await records(2);
    await send(token(), [label(ids[0]!, true)]);
    const error = await rejection(send(token(), [label(ids[1]!, true), label(ids[0]!, false)]));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`record "${ids[0]}" from "claims" (stored true`);
    // All or nothing: the new label in the same request was not written either.
    expect((await storedLabels(ids)).map((r) => r.record_id)).toEqual([ids[0]]);
    // Another source may say otherwise: it is another fact, not a contradiction.
    expect((await send(token(), [label(ids[0]!, false, "manual-audit")])).status).toBe(201);
  });

  it("refuses a label for a record never ingested with a 422 naming it, writing none of the request", async () => {
    const [known] = await records(1);
    const missing = `never-${randomUUID().slice(0, 8)}`;
    const error = await rejection(send(token(), [label(known!, true), label(missing, false)]));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`"${missing}"`);
    expect((error as ValidationError).fields).toEqual({ "labels[1].recordId": [`no record "${missing}" was ever ingested`] });
    expect(await storedLabels([known!, missing])).toEqual([]);
  });

  it("names every invalid field and its rule, coercing nothing", async () => {
    const [id] = await records(1);
    const error = (await rejection(
      send(token(), [
        { recordId: id, label: "true", observedAt: OBSERVED, source: "claims" },
        { recordId: id, label: true, source: "claims" },
        { recordId: id, label: 1, observedAt: "30/11/2026", source: "claims" },
        { recordId: id, label: true, observedAt: OBSERVED, source: "has space" },
        { recordId: id, label: true, observedAt: OBSERVED, source: "claims", confidence: 0.9 },
      ]),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["labels[0].label", "labels[1].observedAt", "labels[2].label", "labels[2].observedAt", "labels[3].source", "labels[4]"]);
    expect(error.fields!["labels[0].label"]).toEqual(["must be true or false (a JSON boolean)"]);
    expect(await storedLabels([id!])).toEqual([]);
  });

  it("refuses an observation in the future and a request that contradicts itself", async () => {
    const [id] = await records(1);
    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    const late = (await rejection(send(token(), [{ ...label(id!, true), observedAt: future }]))) as ValidationError;
    expect(late.fields).toEqual({ "labels[0].observedAt": ["must not be in the future"] });
    const torn = (await rejection(send(token(), [label(id!, true), label(id!, false)]))) as ValidationError;
    expect(torn.fields).toEqual({ "labels[1].label": ["contradicts labels[0] for the same record and source"] });
    expect(await storedLabels([id!])).toEqual([]);
  });

  it("refuses an empty request, a non-JSON body, another media type and a token without the ingest scope", async () => {
    expect(await rejection(send(token(), []))).toBeInstanceOf(ValidationError);
    expect(await rejection(ingestLabels(token(), { body: "{labels:", contentType: "application/json" }))).toBeInstanceOf(BadRequestError);
    expect(await rejection(ingestLabels(token(), { body: "recordId,label", contentType: "text/csv" }))).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(await rejection(send(token(["read"]), [label("x", true)]))).toBeInstanceOf(ForbiddenError);
  });

  it("is append-only: the app's role may not change or remove a label, and the owner is refused by the trigger", async () => {
    const [id] = await records(1);
    await send(token(), [label(id!, true)]);
    for (const sql of ["UPDATE record_labels SET label = false WHERE record_id = $1", "DELETE FROM record_labels WHERE record_id = $1"]) {
      await expect(db.handle().pool.query(sql, [id])).rejects.toThrow(/permission denied/);
      await expect(db.owner().pool.query(sql, [id])).rejects.toThrow(/append-only/);
    }
    await expect(db.owner().pool.query("TRUNCATE record_labels")).rejects.toThrow(/append-only/);
    expect((await storedLabels([id!]))[0]!.label).toBe(true);
  });

  it("under contradicting requests at the same moment, keeps exactly one outcome: the others are refused, none half-written", async () => {
    const ids = await records(2);
    // Every request also carries a label of its own for the second record: refused requests must not leave it behind.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => send(token(), [label(ids[0]!, i % 2 === 0), label(ids[1]!, true, `source-${i}`)])),
    );
    const rows = await storedLabels(ids);
    const kept = rows.filter((r) => r.record_id === ids[0]);
    expect(kept).toHaveLength(1);
    const winners = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
    expect(winners.length).toBeGreaterThan(0);
    expect(winners.every((i) => i % 2 === (kept[0]!.label ? 0 : 1))).toBe(true);
    for (const [i, o] of outcomes.entries()) {
      if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ConflictError);
      expect(rows.some((r) => r.source === `source-${i}`)).toBe(o.status === "fulfilled");
    }
  });

  it("the demo labels are the real outcomes of the first rows of the shipped file", () => {
    const labels = demoLabels();
    const rows = referenceRows().slice(0, LABELLED_ROWS);
    expect(labels).toHaveLength(rows.filter((r) => r.label !== null).length);
    expect(labels.length).toBeGreaterThan(5900);
    const byId = new Map(rows.map((r) => [r.recordId, r.label]));
    expect(labels.every((l) => byId.get(l.recordId) === l.label)).toBe(true);
    expect(new Set(labels.map((l) => l.label))).toEqual(new Set([true, false]));
    expect(DEMO_LABEL_SOURCE).toMatch(/^[a-z-]+$/);
  });
});
