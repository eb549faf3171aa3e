/**
 * Outbound webhooks against real PostgreSQL and a real HTTP receiver on 127.0.0.1: a
 * finalised event reaches each subscriber once, signed over "timestamp.body" with its
 * secret; a 500 is retried with backoff until it succeeds or the attempts run out; the
 * same notification is enqueued once; bad URLs (not http(s), private or loopback hosts)
 * and people who are not administrators are refused.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { eventId, reportId } from "@/lib/mrs";
import { verifyWebhookSignature } from "@/lib/webhooks/signature";
import { actOnEvent } from "./events/actions";
import { ingestEventLogRows } from "./events/ingest";
import {
  createWebhookSubscription,
  deliverDueWebhooks,
  enqueueEventNotification,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  setWebhookActive,
  WEBHOOK_MAX_ATTEMPTS,
  webhookBackoffMs,
} from "./webhooks";

// A database of this file's own: the dispatcher sends every due delivery it finds.
const db = withTestDatabase({ own: "webhooks" });
const prefix = randomUUID().slice(0, 6);
const sender: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };
const PRIVATE_OK = { allowPrivate: true };

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
/** Statuses a path answers with, one per request, then 200. */
const answers = new Map<string, number[]>();
let server: http.Server;
let base: string;
let admin: Extract<Actor, { kind: "user" }>;
let lead: Extract<Actor, { kind: "user" }>;
let analyst: Extract<Actor, { kind: "user" }>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      const status = answers.get(req.url ?? "")?.shift() ?? 200;
      res.writeHead(status, { "Content-Type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await testPerson("admin");
  lead = await testPerson("lead");
  analyst = await testPerson("analyst");
});

/**
 * An instant after every delivery enqueued so far: the database stamps next_attempt_at in
 * microseconds, a Date holds milliseconds, so "now" taken in the same millisecond may be
 * earlier than the row it should find due.
 */
const justAfter = () => new Date(Date.now() + 1);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const hook = (name: string, events: string[], extra: object = {}) => createWebhookSubscription(admin, { name, url: `${base}/hook/${name}`, events, ...extra }, PRIVATE_OK);
const deliveriesOf = async (event: string) =>
  (await db.handle().pool.query("SELECT d.*, s.name FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.event_id = $1 ORDER BY s.name", [event])).rows;

/** A fresh open event of one report, through the log API as the pipeline sends it. */
async function openEvent(tag: string): Promise<string> {
  const windowStart = "2026-11-20T06:00:00.000Z";
  const store = `S-${prefix}-${tag}`;
  const id = reportId(store, `SKU-${prefix}`, windowStart);
  await ingestEventLogRows(sender, "detected", {
    rows: [{ reportId: id, storeId: store, retailer: "Tesco", sku: `SKU-${prefix}`, windowStart, baseline: 1000, actual: 1500, uplift: 500, writtenAt: "2026-11-20T09:00:00.000Z" }],
  });
  const group = `G-${prefix}-${tag}`;
  await ingestEventLogRows(sender, "cohort", { rows: [{ reportId: id, reportGroupId: group, cohortSize: 1, cohortConfidence: 0.5, writtenAt: "2026-11-20T09:30:00.000Z" }] });
  return eventId(group);
}

describe("webhooks for minority events", () => {
  // Each case counts what its own webhooks receive: the earlier cases' stop receiving.
  beforeEach(async () => {
    await db.handle().pool.query("UPDATE webhook_subscriptions SET active = false");
  });

  it("a finalised event is delivered once to each subscriber that wants it, signed with its secret", async () => {
    const both = await hook("a-both", ["event.finalised", "event.high_priority_opened"]);
    const finalisedOnly = await hook("b-finalised", ["event.finalised"], { secret: "a-secret-of-my-own-choosing" });
    await hook("c-high-only", ["event.high_priority_opened"]);
    const off = await hook("d-inactive", ["event.finalised"]);
    await setWebhookActive(admin, { id: off.subscription.id, active: false });
    expect(both.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(finalisedOnly.secret).toBe("a-secret-of-my-own-choosing");
    // The secret is shown once; lists show it masked.
    const listed = await listWebhookSubscriptions(admin);
    expect(JSON.stringify(listed)).not.toContain(both.secret);
    expect(listed.find((s) => s.id === both.subscription.id)?.maskedSecret).toBe(`••••••••${both.secret.slice(-4)}`);

    const id = await openEvent("fin");
    await actOnEvent(lead, { eventId: id, ledgerVersion: 0, action: "finalise", outcome: "approved", reasonCode: "evidence_corroborates", requestId: randomUUID() });
    const queued = await deliveriesOf(id);
    expect(queued.map((d) => [d.name, d.event_type, d.status, d.attempts])).toEqual([
      ["a-both", "event.finalised", "pending", 0],
      ["b-finalised", "event.finalised", "pending", 0],
    ]);

    const before = received.length;
    expect(await deliverDueWebhooks(justAfter(), PRIVATE_OK)).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    const got = received.slice(before).sort((a, b) => a.path.localeCompare(b.path));
    expect(got.map((r) => r.path)).toEqual(["/hook/a-both", "/hook/b-finalised"]);
    for (const [request, secret] of [
      [got[0]!, both.secret],
      [got[1]!, finalisedOnly.secret],
    ] as const) {
      const h = request.headers;
      expect(h["content-type"]).toBe("application/json");
      expect(h["x-sentinel-event"]).toBe("event.finalised");
      expect(queued.map((d) => d.id)).toContain(h["x-sentinel-delivery"]);
      expect(Math.abs(Number(h["x-sentinel-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
      expect(h["x-sentinel-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, String(h["x-sentinel-timestamp"]), request.body, String(h["x-sentinel-signature"]))).toBe(true);
      expect(verifyWebhookSignature("someone-else's-secret", String(h["x-sentinel-timestamp"]), request.body, String(h["x-sentinel-signature"]))).toBe(false);
      expect(JSON.parse(request.body)).toMatchObject({ type: "event.finalised", eventId: id, outcome: "approved", reasonCode: "evidence_corroborates", finalisedBy: lead.name });
    }
    expect((await deliveriesOf(id)).map((d) => [d.status, d.attempts, d.last_status_code, d.delivered_at !== null])).toEqual([
      ["delivered", 1, 200, true],
      ["delivered", 1, 200, true],
    ]);
    // Nothing is sent twice.
    expect(await deliverDueWebhooks(new Date(Date.now() + 24 * 3600_000), PRIVATE_OK)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
  });

  it("an open event that reaches High priority is announced once, as the ingest makes it so", async () => {
    await hook("e-high", ["event.high_priority_opened"]);
    const id = await openEvent("high");
    // Detected and cohorted, no cause yet: Low (no confidence), nothing to announce.
    expect(await deliveriesOf(id)).toEqual([]);
    const [report] = (await db.handle().pool.query<{ report_id: string }>("SELECT report_id FROM event_report_current WHERE event_id = $1", [id])).rows;
    const attribution = (at: string, confidence: number) => ({
      reportId: report!.report_id,
      attributionRunId: `run-${at}`,
      cause_1: { category: "data_error", label: "Till feed sent twice" },
      confidence_1: confidence,
      cause_2: null,
      confidence_2: null,
      narrative: "The till feed repeated Saturday.",
      evidence: [],
      writtenAt: at,
    });
    // A Data Error at 0.85: High (a consequential cause), while open.
    await ingestEventLogRows(sender, "attribution", { rows: [attribution("2026-11-20T10:00:00.000Z", 0.85)] });
    const queued = await deliveriesOf(id);
    expect(queued.map((d) => [d.name, d.event_type, d.status])).toEqual([["e-high", "event.high_priority_opened", "pending"]]);
    expect(queued[0]!.payload).toMatchObject({ type: "event.high_priority_opened", eventId: id, priority: "high", priorityRule: "consequential_cause", status: "open", causeCategory: "data_error", confidence: 0.85 });
    // Still High after a newer attribution: announced once.
    await ingestEventLogRows(sender, "attribution", { rows: [attribution("2026-11-20T11:00:00.000Z", 0.9)] });
    expect(await deliveriesOf(id)).toHaveLength(1);
  });

  it("a delivery answered 500 stays pending with a later attempt, and the retry after it is delivered", async () => {
    const flaky = await hook("flaky", ["event.high_priority_opened"]);
    answers.set("/hook/flaky", [500]);
    const event = `ME-${prefix}-flaky`;
    expect(await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", event, { priority: "High" })).toBe(1);
    const t0 = justAfter();
    expect(await deliverDueWebhooks(t0, PRIVATE_OK)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const [first] = await deliveriesOf(event);
    expect(first).toMatchObject({ status: "pending", attempts: 1, last_status_code: 500, delivered_at: null });
    expect(first.last_error).toMatch(/HTTP 500/);
    expect(first.next_attempt_at.getTime()).toBe(t0.getTime() + webhookBackoffMs(1));
    // Not due yet: nothing is sent.
    const sent = received.filter((r) => r.path === "/hook/flaky").length;
    expect(await deliverDueWebhooks(new Date(t0.getTime() + 10_000), PRIVATE_OK)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received.filter((r) => r.path === "/hook/flaky")).toHaveLength(sent);
    // Past next_attempt_at: delivered, the same delivery id.
    expect(await deliverDueWebhooks(new Date(first.next_attempt_at.getTime() + 1000), PRIVATE_OK)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await deliveriesOf(event)).toMatchObject([{ status: "delivered", attempts: 2, last_status_code: 200, last_error: null }]);
    const attempts = received.filter((r) => r.path === "/hook/flaky");
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers["x-sentinel-delivery"]).toBe(attempts[1]!.headers["x-sentinel-delivery"]);
    expect(verifyWebhookSignature(flaky.secret, String(attempts[1]!.headers["x-sentinel-timestamp"]), attempts[1]!.body, String(attempts[1]!.headers["x-sentinel-signature"]))).toBe(true);

    // The log shows it, newest first, keyset-paged.
    const page = await listWebhookDeliveries(admin, { limit: 1 });
    expect(page.deliveries[0]).toMatchObject({ eventId: event, subscriptionName: "flaky", status: "delivered", attempts: 2 });
  });

  it("backs off exponentially and gives up after the last attempt", async () => {
    await hook("down", ["event.high_priority_opened"]);
    answers.set("/hook/down", Array<number>(WEBHOOK_MAX_ATTEMPTS).fill(503));
    const event = `ME-${prefix}-down`;
    await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", event, {});
    let now = justAfter();
    const waits: number[] = [];
    for (let i = 1; i <= WEBHOOK_MAX_ATTEMPTS; i++) {
      await deliverDueWebhooks(now, PRIVATE_OK);
      const [row] = await deliveriesOf(event);
      expect(row.attempts).toBe(i);
      waits.push(row.next_attempt_at.getTime() - now.getTime());
      now = row.next_attempt_at;
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600].map((s) => s * 1000));
    expect(await deliveriesOf(event)).toMatchObject([{ status: "failed", attempts: WEBHOOK_MAX_ATTEMPTS, last_status_code: 503 }]);
    expect(await deliverDueWebhooks(new Date(now.getTime() + 3600_000), PRIVATE_OK)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
  });

  it("enqueues the same notification once, and only for active webhooks that want it", async () => {
    const once = await hook("once", ["event.high_priority_opened"]);
    const event = `ME-${prefix}-once`;
    expect(await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", event, { n: 1 })).toBe(1);
    expect(await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", event, { n: 2 })).toBe(0);
    expect(await enqueueEventNotification(db.handle().pool, "event.finalised", event, {})).toBe(0);
    const rows = await deliveriesOf(event);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toEqual({ type: "event.high_priority_opened", eventId: event, n: 1 });
    await setWebhookActive(admin, { id: once.subscription.id, active: false });
    expect(await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", `${event}-2`, {})).toBe(0);
    // A deactivated webhook's pending delivery waits; reactivated, it is sent.
    expect(await deliverDueWebhooks(justAfter(), PRIVATE_OK)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    await setWebhookActive(admin, { id: once.subscription.id, active: true });
    expect(await deliverDueWebhooks(justAfter(), PRIVATE_OK)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
  });

  it("checks the address again at delivery: a private one is an attempt that failed", async () => {
    await hook("local", ["event.high_priority_opened"]);
    const event = `ME-${prefix}-local`;
    await enqueueEventNotification(db.handle().pool, "event.high_priority_opened", event, {});
    const sent = received.length;
    expect(await deliverDueWebhooks(justAfter(), { allowPrivate: false })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(received).toHaveLength(sent);
    const [row] = await deliveriesOf(event);
    expect(row).toMatchObject({ status: "pending", attempts: 1, last_status_code: null });
    expect(row.last_error).toMatch(/loopback/);
  });
});

describe("adding webhooks", () => {
  const refused = async (input: object, allowPrivate = false) => {
    const error = await createWebhookSubscription(admin, { name: "x", events: ["event.finalised"], ...input }, { allowPrivate }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields ?? {};
  };

  it("refuses a URL that is not http(s), or whose host is loopback or private, naming the field", async () => {
    expect((await refused({ url: "ftp://files.example.com/hook" })).url).toEqual(["must be an http:// or https:// URL"]);
    expect((await refused({ url: "not a url" })).url).toEqual(["must be an http:// or https:// URL"]);
    expect((await refused({ url: "https://user:pw@example.com/hook" })).url?.[0]).toMatch(/user name or password/);
    expect((await refused({ url: "http://127.0.0.1/hook" })).url?.[0]).toMatch(/loopback or private.*127\.0\.0\.1, loopback.*WEBHOOK_ALLOW_PRIVATE=1/);
    expect((await refused({ url: "http://10.0.0.1" })).url?.[0]).toMatch(/10\.0\.0\.1, private/);
    expect((await refused({ url: "http://[::1]:8080/" })).url?.[0]).toMatch(/::1, loopback/);
    expect((await refused({ url: "http://localhost/hook" })).url?.[0]).toMatch(/loopback/);
    expect((await refused({ url: "http://169.254.169.254/latest" })).url?.[0]).toMatch(/link-local/);
    expect((await refused({ url: "https://nowhere.invalid/hook" })).url?.[0]).toMatch(/does not resolve/);
    expect(Object.keys(await refused({ url: `${base}/x`, events: [] }, true))).toEqual(["events"]);
    expect(Object.keys(await refused({ url: `${base}/x`, events: ["event.opened"] }, true))).toEqual(["events.0"]);
    expect((await refused({ url: `${base}/x`, secret: "short" }, true)).secret).toEqual(["must be at least 16 characters"]);
    expect((await db.handle().pool.query("SELECT count(*)::int AS n FROM webhook_subscriptions WHERE name = 'x'")).rows[0].n).toBe(0);
  });

  it("only administrators manage webhooks and see the delivery log", async () => {
    const made = await hook("admins-only", ["event.finalised"]);
    for (const actor of [analyst, lead]) {
      await expect(createWebhookSubscription(actor, { name: "n", url: `${base}/n`, events: ["event.finalised"] }, PRIVATE_OK)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listWebhookSubscriptions(actor)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(setWebhookActive(actor, { id: made.subscription.id, active: false })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listWebhookDeliveries(actor)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await listWebhookSubscriptions(admin)).find((s) => s.id === made.subscription.id)).toMatchObject({ active: true, createdBy: admin.email, events: ["event.finalised"] });
    await setWebhookActive(admin, { id: made.subscription.id, active: false });
  });
});
