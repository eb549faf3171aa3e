import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { RateLimitedError } from "@/lib/errors";
import { consumeApiRequest } from "./rate-limit";
import type { ApiPrincipal } from "./tokens";

withTestDatabase();

const principal = (read: number, ingest: number): ApiPrincipal => ({
  tokenId: randomUUID(),
  accountId: randomUUID(),
  accountEmail: "svc@x",
  scopes: ["read", "ingest"],
  readPerMinute: read,
  ingestPerMinute: ingest,
});

describe("API rate limits", () => {
  it("allows the token's budget per minute, then refuses with the seconds to wait", async () => {
    const p = principal(3, 1);
    for (let i = 0; i < 3; i++) await consumeApiRequest(p, "read");
    const error = await consumeApiRequest(p, "read").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    // Budgets are per kind and per token.
    await consumeApiRequest(p, "ingest");
    await expect(consumeApiRequest(p, "ingest")).rejects.toBeInstanceOf(RateLimitedError);
    await consumeApiRequest(principal(3, 1), "read");
  });

  it("counts concurrent requests exactly", async () => {
    const p = principal(10, 1);
    const outcomes = await Promise.allSettled(Array.from({ length: 15 }, () => consumeApiRequest(p, "read")));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(10);
  });
});
