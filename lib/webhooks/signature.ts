/**
 * The signature of an outbound webhook (docs/api.md): HMAC-SHA256 with the subscription's
 * secret over "<unix seconds>.<raw body>", sent as `X-Sentinel-Signature: sha256=<hex>`
 * beside `X-Sentinel-Timestamp`, so a receiver can check both who sent it and when.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function webhookSignature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
