/**
 * The queue's keyset paging against real PostgreSQL: every sort and direction pages
 * through exactly the rows of one ordered query, with no duplicate and none lost, for
 * filters alone and combined; cursors from another view are refused.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { ScoredRecord } from "@/lib/gating";
import { QUEUE_SORT_KEYS, QUEUE_SORTS } from "@/lib/validations/queue";
import type { Actor } from "./actor";
import { ingestBatch } from "./ingest";
import { listQueue, type QueueItem } from "./queue";

withTestDatabase();
const analyst: Actor = { kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" };
const prefix = `q${randomUUID().slice(0, 6)}`;

/** Deterministic variety: spends, missing values and probabilities from the index. */
function record(i: number): ScoredRecord {
  const spend = (k: number) => (i % 11 === k ? null : ((i * (k + 3) * 37) % 4000) * (i % 3 === 0 ? 1 : 0.1));
  const p = ((i * 7919) % 1000) / 1000;
  return {
    recordId: `${prefix}-${String(i).padStart(4, "0")}`,
    spend: { RoomService: spend(0), FoodCourt: spend(1), ShoppingMall: spend(2), Spa: spend(3), VRDeck: spend(4) },
    context: { HomePlanet: ["Earth", "Europa", "Mars"][i % 3]!, Destination: ["TRAPPIST-1e", "55 Cancri e"][i % 2]!, Cabin: i % 13 === 0 ? null : `F/${i}/S`, CryoSleep: false },
    pModel: 0.05 + 0.9 * p,
    ensemble: Array.from({ length: 10 }, (_, m) => Math.min(1, Math.max(0, 0.05 + 0.9 * p + (m - 5) * 0.02))),
    scorerVersion: i % 2 ? "s-odd" : "s-even",
  };
}

beforeAll(async () => {
  // 600 records in batches of 60, some re-sent (new versions), so the queue is mixed.
  const all = Array.from({ length: 600 }, (_, i) => record(i));
  for (let b = 0; b < 10; b++) {
    await ingestBatch(analystIngestor, { body: JSON.stringify({ batchId: `${prefix}-b${b}`, records: all.slice(b * 60, b * 60 + 60) }), contentType: "application/json", idempotencyKey: null });
  }
  await ingestBatch(analystIngestor, { body: JSON.stringify({ batchId: `${prefix}-again`, records: all.slice(0, 30).map((r) => ({ ...r, pModel: 0.5 })) }), contentType: "application/json", idempotencyKey: null });
}, 120_000);

const analystIngestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };

async function everything(query: Record<string, string>, limit: number): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listQueue(analyst, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
  throw new Error("paging did not end");
}

describe("audit queue (data layer)", () => {
  it("pages every sort and direction through the same rows as one query, without duplicates", async () => {
    for (const sort of QUEUE_SORT_KEYS) {
      for (const dir of ["asc", "desc"] as const) {
        const whole = await listQueue(analyst, { scorer: "s-odd", sort, dir, limit: "500" });
        const paged = await everything({ scorer: "s-odd", sort, dir }, 7);
        expect(whole.items.length).toBeGreaterThan(30);
        expect(paged.map((i) => i.recordId)).toEqual(whole.items.map((i) => i.recordId));
        expect(new Set(paged.map((i) => i.recordId)).size).toBe(paged.length);
        // Ordered by the sort's first column in its direction.
        const first = QUEUE_SORTS[sort].columns[0];
        const value = (i: QueueItem) =>
          first === "triage_key" ? i.theta - i.fragilityScore : first === "confidence" ? i.confidence : first === "fragility_score" ? i.fragilityScore : Date.parse(i.createdAt);
        const values = paged.map(value);
        const sorted = [...values].sort((a, b) => (dir === "asc" ? a - b : b - a));
        expect(values).toEqual(sorted);
      }
    }
  });

  it("shows only the current version of a re-sent record, and filters combine", async () => {
    const items = await everything({ batch: `${prefix}-again` }, 50);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.version).toBe(2);
    const combined = await everything({ scorer: "s-even", kind: "low-confidence", confMax: "0.9" }, 13);
    expect(combined.length).toBeGreaterThan(0);
    for (const item of combined) {
      expect(item.scorerVersion).toBe("s-even");
      expect(item.fragile).toBe(false);
      expect(item.confidence).toBeLessThanOrEqual(0.9);
    }
    const flagged = await everything({ flag: "MISSING_CONTEXT" }, 50);
    expect(flagged.length).toBeGreaterThan(0);
    for (const item of flagged) expect(item.flags).toContain("MISSING_CONTEXT");
  });

  it("refuses forged cursors, cursors of another sort, and unknown parameters, naming the field", async () => {
    const page = await listQueue(analyst, { sort: "confidence", limit: "5" });
    expect(page.nextCursor).not.toBeNull();
    await expect(listQueue(analyst, { sort: "age", cursor: page.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(listQueue(analyst, { cursor: "not-a-cursor" })).rejects.toMatchObject({ fields: { cursor: expect.any(Array) } });
    const forged = Buffer.from(JSON.stringify({ s: "triage", d: "asc", k: [0, 0, "x'; DROP TABLE users; --", "1"] })).toString("base64url");
    await expect(listQueue(analyst, { cursor: forged })).rejects.toBeInstanceOf(ValidationError);
    await expect(listQueue(analyst, { sort: "p_model" })).rejects.toMatchObject({ fields: { sort: expect.any(Array) } });
    await expect(listQueue(analyst, { orderBy: "id" })).rejects.toBeInstanceOf(ValidationError);
    await expect(listQueue(analyst, { limit: "501" })).rejects.toMatchObject({ fields: { limit: expect.any(Array) } });
  });

  it("is read by queue readers and read-scoped tokens only", async () => {
    const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };
    await expect(listQueue(manager, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listQueue({ ...analystIngestor }, {})).rejects.toBeInstanceOf(ForbiddenError);
    const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "r@x", scopes: ["read"] };
    expect((await listQueue(reader, { limit: "1" })).items.length).toBe(1);
  });
});
