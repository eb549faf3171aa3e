/**
 * The queue's keyset paging against real PostgreSQL: every sort and direction pages
 * through exactly the rows of one ordered query, with no duplicate and none lost, for
 * filters alone and combined; cursors from another view are refused. The triage order is
 * canaries first, then the estimated probability that the machine label is wrong.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { SEED_CANARY_IDS, type ScoredRecord } from "@/lib/gating";
import { QUEUE_SORT_KEYS, QUEUE_SORTS } from "@/lib/validations/queue";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { claimRecord, decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { countQueue, listQueue, nextInQueue, queueQuery, QUEUE_COUNT_CAP, type QueueItem } from "./queue";
import { getRecordResult } from "./results";
import { createUser } from "./users";

const database = withTestDatabase();
const analyst: Actor = { kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" };
const isCanary = (i: QueueItem) => i.reasonCodes.includes("CANARY");
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
  // The seed's canaries (registered by id in the default policy), in the s-odd view, confident: without the pin they would sort last.
  const canaries = SEED_CANARY_IDS.map((id, k) => ({ ...record(k + 1), recordId: id, pModel: 0.97, ensemble: Array.from({ length: 10 }, () => 0.97), scorerVersion: "s-odd" }));
  await ingestBatch(analystIngestor, { body: JSON.stringify({ batchId: `${prefix}-canaries`, records: canaries }), contentType: "application/json", idempotencyKey: null });
  await ingestBatch(analystIngestor, { body: JSON.stringify({ batchId: `${prefix}-order`, records: orderRecords() }), contentType: "application/json", idempotencyKey: null });
}, 120_000);

/**
 * Records whose fragility order and error-estimate order disagree (scorer `s-order`):
 * confident fragile records (a dominant spend above θ, p ≈ 0.95, so P(wrong) ≈ 0.05) and
 * plain unsure ones (no fragility, p ≈ 0.4–0.45), three of them alike so the estimate ties
 * and the keyset must page through the tie.
 */
function orderRecords(): ScoredRecord[] {
  const make = (id: string, spend: Partial<ScoredRecord["spend"]>, p: number): ScoredRecord => ({
    recordId: `${prefix}-order-${id}`,
    spend: { RoomService: 0, FoodCourt: 0, ShoppingMall: 0, Spa: 0, VRDeck: 0, ...spend },
    context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "F/1/S", CryoSleep: false },
    pModel: p,
    ensemble: Array.from({ length: 10 }, () => p),
    scorerVersion: "s-order",
  });
  return [
    make("fragile-a", { Spa: 9000, VRDeck: 8000 }, 0.95),
    make("fragile-b", { Spa: 9500, VRDeck: 7000 }, 0.93),
    make("plain-a", { FoodCourt: 300, ShoppingMall: 200 }, 0.45),
    make("plain-b", { FoodCourt: 300, ShoppingMall: 200 }, 0.45),
    make("plain-c", { FoodCourt: 300, ShoppingMall: 200 }, 0.45),
    make("plain-d", { FoodCourt: 300, ShoppingMall: 200 }, 0.4),
  ];
}

const analystIngestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };

async function everything(query: Record<string, string>, limit: number): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listQueue(analyst, queueQuery({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) }));
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
        const whole = await listQueue(analyst, queueQuery({ scorer: "s-odd", sort, dir, limit: "500" }));
        const paged = await everything({ scorer: "s-odd", sort, dir }, 7);
        expect(whole.items.length).toBeGreaterThan(30);
        expect(paged.map((i) => i.recordId)).toEqual(whole.items.map((i) => i.recordId));
        expect(new Set(paged.map((i) => i.recordId)).size).toBe(paged.length);
        // Ordered by the sort's first column in its direction.
        // (the triage order's first column is the canary pin: canaries lead, then the triage key, −errorEstimate)
        const columns = QUEUE_SORTS[sort].columns;
        const first = columns[0] === "canary_pin" ? columns[1] : columns[0];
        const value = (i: QueueItem) =>
          first === "triage_key"
            ? -i.errorEstimate
            : first === "error_estimate"
              ? i.errorEstimate
              : first === "confidence"
                ? i.confidence
                : first === "fragility_score"
                  ? i.fragilityScore
                  : Date.parse(i.createdAt);
        const values = paged.filter((i) => sort !== "triage" || !isCanary(i)).map(value);
        const sorted = [...values].sort((a, b) => (dir === "asc" ? a - b : b - a));
        expect(values).toEqual(sorted);
      }
    }
  });

  it("pins canaries at the top of the triage order, and the keyset pages through the pin", async () => {
    for (const dir of ["asc", "desc"] as const) {
      const whole = await listQueue(analyst, queueQuery({ scorer: "s-odd", sort: "triage", dir, limit: "500" }));
      const canaries = whole.items.filter(isCanary).length;
      expect(canaries).toBe(SEED_CANARY_IDS.length);
      expect(whole.items.slice(0, canaries).every(isCanary)).toBe(true);
      // Pages of two split the canaries across pages 1 and 2: nothing lost, nothing twice.
      const paged = await everything({ scorer: "s-odd", sort: "triage", dir }, 2);
      expect(paged.map((i) => i.recordId)).toEqual(whole.items.map((i) => i.recordId));
    }
    // Other orders do not pin: a confident canary is not first by confidence.
    const byConfidence = await listQueue(analyst, queueQuery({ scorer: "s-odd", sort: "confidence", limit: "3" }));
    expect(byConfidence.items.some(isCanary)).toBe(false);
  });

  it("names the record after each one in a view's order (the record page's n), and none after the last", async () => {
    const views: Record<string, string>[] = [{ scorer: "s-odd", sort: "triage" }, { scorer: "s-odd", sort: "fragility", dir: "desc" }];
    for (const view of views) {
      const ids = (await listQueue(analyst, queueQuery({ ...view, limit: "500" }))).items.map((i) => i.recordId);
      expect(ids.length).toBeGreaterThan(2);
      const nexts = await Promise.all(ids.map((id) => nextInQueue(analyst, view, id)));
      expect(nexts).toEqual([...ids.slice(1), null]);
    }
  });

  it("orders triage by canaries, then the estimated chance the machine label is wrong (not fragility), and pages through it", async () => {
    const whole = await listQueue(analyst, queueQuery({ scorer: "s-order", limit: "500" }));
    const byId = new Map(whole.items.map((i) => [i.recordId.slice(`${prefix}-order-`.length), i]));
    expect([...byId.keys()].sort()).toEqual(["fragile-a", "fragile-b", "plain-a", "plain-b", "plain-c", "plain-d"]);
    // The fixture disagrees: fragility puts the fragile records first, the estimate puts them last.
    const [fa, fb, pd] = [byId.get("fragile-a")!, byId.get("fragile-b")!, byId.get("plain-d")!];
    for (const f of [fa, fb]) {
      expect(f.fragile).toBe(true);
      expect(f.fragilityScore - f.theta).toBeGreaterThan(pd.fragilityScore - pd.theta);
      expect(f.errorEstimate).toBeLessThan(pd.errorEstimate);
    }
    // Ties on the estimate fall back to age, then id (one batch: one age).
    const expected = [...whole.items].sort((a, b) => b.errorEstimate - a.errorEstimate || Date.parse(a.createdAt) - Date.parse(b.createdAt) || Number(BigInt(a.resultId) - BigInt(b.resultId)));
    expect(whole.items.map((i) => i.recordId)).toEqual(expected.map((i) => i.recordId));
    expect(whole.items.slice(-2).map((i) => i.fragile)).toEqual([true, true]);
    expect(new Set(whole.items.slice(0, 3).map((i) => i.errorEstimate)).size).toBe(1);
    for (const limit of [1, 2, 4]) expect((await everything({ scorer: "s-order" }, limit)).map((i) => i.recordId)).toEqual(expected.map((i) => i.recordId));

    // Where canaries share the view, they lead; the rest follow the estimate, highest first, paged once each.
    const odd = await everything({ scorer: "s-odd" }, 9);
    const canaries = odd.filter(isCanary).length;
    expect(canaries).toBe(SEED_CANARY_IDS.length);
    expect(odd.slice(0, canaries).every(isCanary)).toBe(true);
    const rest = odd.slice(canaries).map((i) => i.errorEstimate);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
    expect(new Set(odd.map((i) => i.recordId)).size).toBe(odd.length);
    // Canaries are confident: without the pin the estimate would put them late.
    expect(Math.max(...odd.slice(0, canaries).map((i) => i.errorEstimate))).toBeLessThan(rest[Math.floor(rest.length / 2)]!);
  });

  it("filters by status: open, claimed by me (with who holds what), decided", async () => {
    const person = async (name: string): Promise<Actor> => {
      const u = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${prefix}@example.test`, name, role: "analyst", password: "correct horse battery" });
      return { kind: "user", id: u.id, email: u.email, name, role: "analyst" };
    };
    const [ann, bob] = [await person("Ann"), await person("Bob")];
    const annId = (ann as { id: string }).id;
    const open = await listQueue(ann, queueQuery({ batch: `${prefix}-b3`, limit: "500" }));
    const [held, decided] = [open.items[0]!, open.items[1]!];
    await claimRecord(ann, { recordId: held.recordId });
    const mine = await listQueue(ann, queueQuery({ status: "mine", limit: "500" }));
    expect(mine.items.map((i) => i.recordId)).toEqual([held.recordId]);
    expect(mine.items[0]!.claim).toMatchObject({ userId: annId, name: "Ann" });
    expect(Date.parse(mine.items[0]!.claim!.until)).toBeGreaterThan(Date.now());
    expect((await listQueue(bob, queueQuery({ status: "mine", limit: "500" }))).items).toEqual([]);
    // Bob sees Ann's claim in the open view.
    const seenByBob = (await listQueue(bob, queueQuery({ batch: `${prefix}-b3`, limit: "500" }))).items.find((i) => i.recordId === held.recordId);
    expect(seenByBob?.claim?.name).toBe("Ann");

    const r = await getRecordResult(bob, decided.recordId);
    await decideRecord(bob, { recordId: decided.recordId, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "confirm", requestId: randomUUID() });
    const openAfter = await listQueue(ann, queueQuery({ batch: `${prefix}-b3`, limit: "500" }));
    expect(openAfter.items.map((i) => i.recordId)).not.toContain(decided.recordId);
    const count = (status?: string) => countQueue(ann, queueQuery({ batch: `${prefix}-b3`, ...(status ? { status } : {}) }));
    expect((await count()).count).toBe(open.items.length - 1);
    expect(await count("mine")).toEqual({ count: 1, capped: false });
    const done = await listQueue(ann, queueQuery({ batch: `${prefix}-b3`, status: "decided", limit: "500" }));
    expect(done.items.map((i) => i.recordId)).toEqual([decided.recordId]);
    expect(done.items[0]!.review).toMatchObject({ action: "confirm", label: r.current.decision, by: "Bob" });
    expect(await count("decided")).toEqual({ count: 1, capped: false });
    expect(() => queueQuery({ status: "closed" })).toThrow(ValidationError);
  });

  it("shows only the current version of a re-sent record, and filters combine", async () => {
    const items = await everything({ batch: `${prefix}-again` }, 50);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.version).toBe(2);
    // Each row carries its policy snapshot's decision threshold (the interval bar's line), as the record page reads it.
    const recordPage = await getRecordResult(analyst, items[0]!.recordId);
    expect(items[0]!.decisionThreshold).toBe(recordPage.threshold);
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
    const page = await listQueue(analyst, queueQuery({ sort: "confidence", limit: "5" }));
    expect(page.nextCursor).not.toBeNull();
    await expect(listQueue(analyst, queueQuery({ sort: "age", cursor: page.nextCursor! }))).rejects.toBeInstanceOf(ValidationError);
    await expect(listQueue(analyst, queueQuery({ cursor: "not-a-cursor" }))).rejects.toMatchObject({ fields: { cursor: expect.any(Array) } });
    const forged = Buffer.from(JSON.stringify({ s: "triage", d: "asc", k: [0, 0, "x'; DROP TABLE users; --", "1"] })).toString("base64url");
    await expect(listQueue(analyst, queueQuery({ cursor: forged }))).rejects.toBeInstanceOf(ValidationError);
    const parse = async (input: Record<string, string>) => queueQuery(input);
    await expect(parse({ sort: "p_model" })).rejects.toMatchObject({ fields: { sort: expect.any(Array) } });
    await expect(parse({ orderBy: "id" })).rejects.toBeInstanceOf(ValidationError);
    await expect(parse({ limit: "501" })).rejects.toMatchObject({ fields: { limit: expect.any(Array) } });
  });

  it("is read by queue readers and read-scoped tokens only", async () => {
    const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };
    await expect(listQueue(manager, queueQuery({}))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listQueue({ ...analystIngestor }, queueQuery({}))).rejects.toBeInstanceOf(ForbiddenError);
    const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "r@x", scopes: ["read"] };
    expect((await listQueue(reader, queueQuery({ limit: "1" }))).items.length).toBe(1);
  });

  // Last: it adds 10,001 queued rows that the other views would page through.
  it("counts the view exactly up to 10,000, then says 10,000+, and names the reasons most rows of the page carry", async () => {
    const whole = await listQueue(analyst, queueQuery({ scorer: "s-even", limit: "500" }));
    expect(await countQueue(analyst, queueQuery({ scorer: "s-even" }))).toEqual({ count: whole.items.length, capped: false });
    // The common set: exactly the reasons more than half of the page carries.
    const common = (items: QueueItem[]) => {
      const counts = new Map<string, number>();
      for (const item of items) for (const code of item.reasonCodes) counts.set(code, (counts.get(code) ?? 0) + 1);
      return { all: counts.size, common: [...counts].filter(([, k]) => k * 2 > items.length).map(([code]) => code).sort() };
    };
    expect(whole.commonReasons).toEqual(common(whole.items).common);
    expect(whole.commonReasons.length).toBeGreaterThan(0);
    expect(whole.commonReasons.length).toBeLessThan(common(whole.items).all);
    // A shorter page is the view's first rows; its common set is its own.
    const page = await listQueue(analyst, queueQuery({ scorer: "s-even", limit: "7" }));
    expect(page.items).toEqual(whole.items.slice(0, 7));
    expect(page.commonReasons).toEqual(common(page.items).common);
    expect((await listQueue(analyst, queueQuery({ scorer: "s-even", limit: "4" }))).commonReasons).toEqual([]);
    // 10,001 queued copies of one result: the count stops at the cap.
    const source = whole.items[0]!;
    await database.owner().pool.query(
      `INSERT INTO scored_records (record_id, current_version) SELECT record_id || '-copy-' || g, 1 FROM gating_results, generate_series(1, ${QUEUE_COUNT_CAP + 1}) g WHERE id = $1::bigint`,
      [source.resultId],
    );
    await database.owner().pool.query(
      `INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
         p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance)
       SELECT record_id || '-copy-' || g, 1, true, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
         p10, p50, p90, confidence, p_model, p_glm, cluster_id, $2, flags, reason_codes, input, provenance
       FROM gating_results, generate_series(1, ${QUEUE_COUNT_CAP + 1}) g WHERE id = $1::bigint`,
      [source.resultId, `${prefix}-many`],
    );
    const many = await listQueue(analyst, queueQuery({ scorer: `${prefix}-many`, limit: "10" }));
    expect(await countQueue(analyst, queueQuery({ scorer: `${prefix}-many` }))).toEqual({ count: QUEUE_COUNT_CAP, capped: true });
    expect(many.items).toHaveLength(10);
  });
});
