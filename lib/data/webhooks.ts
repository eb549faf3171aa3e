/**
 * Outbound webhooks for minority events (issue 20 item 7): administrators add one per
 * subscriber (URL + signing secret + the notifications it wants); a notification is
 * enqueued once per subscription in `webhook_deliveries` (the outbox, also the delivery
 * log), in the transaction of the change it reports; the dispatcher (lib/data/scheduler.ts)
 * posts due deliveries signed with HMAC-SHA256 and retries failures with backoff.
 * docs/api.md describes the wire format for receivers.
 */
import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import type { Pool, PoolClient } from "pg";
import { type Actor, actorId, assertCan } from "@/lib/auth/actor";
import { loadEnv } from "@/lib/env";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { createWebhookInput, setWebhookActiveInput, type WebhookEventType } from "@/lib/validations/webhooks";
import { nonPublicAddressKind } from "@/lib/webhooks/address";
import { webhookSignature } from "@/lib/webhooks/signature";
import { db, transaction } from "./db";
import { parseInput } from "./input";

// Webhooks are the console's integrations with other systems, as API tokens are: the same
// administrators manage both.
const MANAGE = "tokens:manage" as const;

/** A delivery is given up (status failed) after this many attempts. */
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** Wait before retry n (n ≥ 1): 30 s × 2^(n−1), at most an hour. */
export function webhookBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}
const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed delivery is skipped by other dispatchers this long (a process that dies mid-post leaves it for a retry). */
const CLAIM_LEASE_MS = 2 * 60_000;
const CLAIM_BATCH = 20;
const MAX_PER_RUN = 200;

export type WebhookSubscriptionRow = {
  id: string;
  name: string;
  url: string;
  /** the secret's last four characters behind a mask; the whole secret is shown only at creation */
  maskedSecret: string;
  events: WebhookEventType[];
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
  pending: number;
  delivered: number;
  failed: number;
};

export type WebhookDeliveryRow = {
  id: string;
  subscriptionId: string;
  subscriptionName: string;
  eventType: WebhookEventType;
  eventId: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

export function maskSecret(secret: string): string {
  return `••••••••${secret.slice(-4)}`;
}

const allowPrivateTargets = (override?: boolean) => override ?? loadEnv().WEBHOOK_ALLOW_PRIVATE === "1";

/**
 * Why `url`'s host is not a destination a webhook may reach (it resolves to a loopback,
 * private, link-local, unique-local, shared or unspecified address, or not at all), or null.
 * Every address the name resolves to must be public: a receiver picks one of them.
 */
export async function webhookTargetProblem(url: string, allowPrivate?: boolean): Promise<string | null> {
  const host = new URL(url).hostname;
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  let addresses: string[];
  if (nonPublicAddressKind(literal) !== "not an IP address") addresses = [literal];
  else {
    try {
      addresses = (await lookup(literal, { all: true, verbatim: true })).map((a) => a.address);
    } catch (error) {
      return `its host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
  }
  if (allowPrivateTargets(allowPrivate)) return null;
  for (const address of addresses) {
    const kind = nonPublicAddressKind(address);
    if (kind) return `must not resolve to a loopback or private address (${host} is ${address}, ${kind}); set WEBHOOK_ALLOW_PRIVATE=1 to allow it`;
  }
  return null;
}

type SubscriptionDbRow = {
  id: string;
  name: string;
  url: string;
  secret: string;
  events: WebhookEventType[];
  active: boolean;
  created_by: string | null;
  created_at: Date;
  pending: number;
  delivered: number;
  failed: number;
};

const SUBSCRIPTION_COLUMNS = `s.id::text AS id, s.name, s.url, s.secret, s.events::text[] AS events, s.active, u.email AS created_by, s.created_at,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'pending') AS pending,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'delivered') AS delivered,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'failed') AS failed`;

function toSubscription(r: SubscriptionDbRow): WebhookSubscriptionRow {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    maskedSecret: maskSecret(r.secret),
    events: r.events,
    active: r.active,
    createdBy: r.created_by,
    createdAt: r.created_at,
    pending: r.pending,
    delivered: r.delivered,
    failed: r.failed,
  };
}

/**
 * Adds a webhook. The URL must be http(s) and its host resolve to public addresses only
 * (unless WEBHOOK_ALLOW_PRIVATE=1); the secret is the one given (≥ 16 characters) or 32
 * random bytes in hex, returned here once and only masked afterwards.
 */
export async function createWebhookSubscription(
  actor: Actor,
  input: unknown,
  options: { allowPrivate?: boolean } = {},
): Promise<{ subscription: WebhookSubscriptionRow; secret: string }> {
  assertCan(actor, MANAGE);
  const data = parseInput(createWebhookInput, input);
  const problem = await webhookTargetProblem(data.url, options.allowPrivate);
  if (problem) throw new ValidationError("The webhook URL cannot be used.", { url: [problem] });
  const secret = data.secret ?? randomBytes(32).toString("hex");
  const pool = db().pool;
  const { id } = (
    await pool.query<{ id: string }>(
      `INSERT INTO webhook_subscriptions (id, name, url, secret, events, created_by_id)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::text[]::"WebhookEventType"[], $5::uuid) RETURNING id::text AS id`,
      [data.name, data.url, secret, data.events, actorId(actor)],
    )
  ).rows[0]!;
  const row = (await pool.query<SubscriptionDbRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s LEFT JOIN users u ON u.id = s.created_by_id WHERE s.id = $1::uuid`, [id])).rows[0]!;
  return { subscription: toSubscription(row), secret };
}

/** Every webhook, active first, newest first, with its deliveries counted by status. */
export async function listWebhookSubscriptions(actor: Actor): Promise<WebhookSubscriptionRow[]> {
  assertCan(actor, MANAGE);
  const rows = await db().pool.query<SubscriptionDbRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s LEFT JOIN users u ON u.id = s.created_by_id ORDER BY s.active DESC, s.created_at DESC, s.id DESC`,
  );
  return rows.rows.map(toSubscription);
}

/**
 * Deactivates a webhook (no new notifications; its pending deliveries are not sent) or
 * reactivates it (its pending deliveries resume).
 */
export async function setWebhookActive(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, MANAGE);
  const data = parseInput(setWebhookActiveInput, input);
  const updated = await db().pool.query("UPDATE webhook_subscriptions SET active = $2, updated_at = now() WHERE id = $1::uuid", [data.id, data.active]);
  if (!updated.rowCount) throw new NotFoundError("No such webhook.");
}

export type DeliveryCursor = { createdAt: string; id: string };

/** The delivery log, newest first, `limit` at a time; `before` is the last row of the previous page. */
export async function listWebhookDeliveries(
  actor: Actor,
  options: { limit?: number; before?: DeliveryCursor | null } = {},
): Promise<{ deliveries: WebhookDeliveryRow[]; next: DeliveryCursor | null }> {
  assertCan(actor, MANAGE);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const before = options.before && !Number.isNaN(Date.parse(options.before.createdAt)) && /^[0-9a-f-]{36}$/i.test(options.before.id) ? options.before : null;
  const rows = await db().pool.query<{
    id: string;
    subscription_id: string;
    subscription_name: string;
    event_type: WebhookEventType;
    event_id: string;
    status: WebhookDeliveryRow["status"];
    attempts: number;
    next_attempt_at: Date;
    last_status_code: number | null;
    last_error: string | null;
    delivered_at: Date | null;
    created_at: Date;
    cursor_at: string;
  }>(
    `SELECT d.id::text AS id, d.subscription_id::text AS subscription_id, s.name AS subscription_name, d.event_type::text AS event_type, d.event_id,
            d.status::text AS status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.created_at,
            to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
      WHERE ($1::timestamptz IS NULL OR (d.created_at, d.id) < ($1::timestamptz, $2::uuid))
      ORDER BY d.created_at DESC, d.id DESC
      LIMIT $3`,
    [before?.createdAt ?? null, before?.id ?? null, limit + 1],
  );
  const page = rows.rows.slice(0, limit);
  const last = page.at(-1);
  return {
    deliveries: page.map((r) => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      subscriptionName: r.subscription_name,
      eventType: r.event_type,
      eventId: r.event_id,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
      createdAt: r.created_at,
    })),
    next: rows.rows.length > limit && last ? { createdAt: last.cursor_at, id: last.id } : null,
  };
}

/**
 * Enqueues one notification about a minority event: one pending delivery per active
 * webhook that wants `type`, at most once per (webhook, type, event) however often it is
 * called. Takes the caller's client so it commits (or rolls back) with the change it reports.
 *
 * `event.finalised` is enqueued by a lead's `finalise` (lib/data/events/actions.ts).
 * `event.high_priority_opened` is for whoever notices that an open event has High priority
 * (spec §5) — the events view's maintenance — to call with the event's id and a payload
 * such as `{ eventId, priority: "High", status: "open", causeCategory, confidence }`; the
 * dedupe key makes repeated calls for the same event harmless.
 *
 * Returns how many deliveries were enqueued.
 */
export async function enqueueEventNotification(client: PoolClient | Pool, type: WebhookEventType, eventId: string, payload: Record<string, unknown>): Promise<number> {
  const result = await client.query(
    `INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload)
     SELECT gen_random_uuid(), s.id, $1::text::"WebhookEventType", $2, $3::jsonb
       FROM webhook_subscriptions s
      WHERE s.active AND $1::text::"WebhookEventType" = ANY (s.events)
     ON CONFLICT (subscription_id, event_type, event_id) DO NOTHING`,
    [type, eventId, JSON.stringify({ type, eventId, ...payload })],
  );
  return result.rowCount ?? 0;
}

type Claimed = { id: string; event_type: WebhookEventType; payload: unknown; attempts: number; url: string; secret: string };

/** Claims up to CLAIM_BATCH due deliveries of active webhooks; other dispatchers skip them while leased. */
async function claimDue(now: Date): Promise<Claimed[]> {
  return transaction(async (client) => {
    const rows = await client.query<Claimed>(
      `SELECT d.id::text AS id, d.event_type::text AS event_type, d.payload, d.attempts, s.url, s.secret
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND s.active
        ORDER BY d.next_attempt_at, d.id
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED`,
      [now, CLAIM_BATCH],
    );
    if (rows.rows.length) {
      await client.query("UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = ANY ($1::uuid[])", [rows.rows.map((r) => r.id), new Date(now.getTime() + CLAIM_LEASE_MS)]);
    }
    return rows.rows;
  });
}

/** Posts one delivery; the HTTP status (2xx is success) or why there was none. */
async function post(delivery: Claimed, allowPrivate: boolean | undefined): Promise<{ statusCode: number | null; error: string | null }> {
  const problem = await webhookTargetProblem(delivery.url, allowPrivate);
  if (problem) return { statusCode: null, error: `URL ${problem}` };
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Sentinel-Review-Webhooks",
        "X-Sentinel-Event": delivery.event_type,
        "X-Sentinel-Delivery": delivery.id,
        "X-Sentinel-Timestamp": String(timestamp),
        "X-Sentinel-Signature": webhookSignature(delivery.secret, timestamp, body),
      },
      body,
      // A redirect could lead anywhere, a private address included: it counts as a failure.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { statusCode: response.status, error: null };
    return { statusCode: response.status, error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === "TimeoutError" ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { statusCode: null, error: reason };
  }
}

/**
 * Sends the deliveries due at `now` (new ones and retries). A 2xx answer marks one
 * delivered; anything else (another status, a timeout, a refused connection, a URL that
 * now resolves to a private address) counts an attempt and schedules the next after
 * webhookBackoffMs, until WEBHOOK_MAX_ATTEMPTS, when it is marked failed. Safe to run in
 * several processes at once: each claims its rows with FOR UPDATE SKIP LOCKED.
 */
export async function deliverDueWebhooks(now: Date = new Date(), options: { allowPrivate?: boolean } = {}): Promise<{ delivered: number; retrying: number; failed: number }> {
  const outcome = { delivered: 0, retrying: 0, failed: 0 };
  for (let handled = 0; handled < MAX_PER_RUN; ) {
    const claimed = await claimDue(now);
    if (!claimed.length) break;
    handled += claimed.length;
    await Promise.all(
      claimed.map(async (delivery) => {
        const { statusCode, error } = await post(delivery, options.allowPrivate);
        const attempts = delivery.attempts + 1;
        if (!error) {
          await db().pool.query(
            "UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_status_code = $3, last_error = NULL, delivered_at = now() WHERE id = $1::uuid",
            [delivery.id, attempts, statusCode],
          );
          outcome.delivered++;
          return;
        }
        const givenUp = attempts >= WEBHOOK_MAX_ATTEMPTS;
        await db().pool.query(
          "UPDATE webhook_deliveries SET status = $2::\"WebhookDeliveryStatus\", attempts = $3, last_status_code = $4, last_error = $5, next_attempt_at = $6 WHERE id = $1::uuid",
          [delivery.id, givenUp ? "failed" : "pending", attempts, statusCode, error.slice(0, 500), new Date(now.getTime() + webhookBackoffMs(attempts))],
        );
        if (givenUp) outcome.failed++;
        else outcome.retrying++;
      }),
    );
  }
  return outcome;
}
