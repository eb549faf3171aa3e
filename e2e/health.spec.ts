import { expect, test } from "@playwright/test";

test("liveness and readiness answer JSON", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({ status: "ok" });
  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready", database: "ok", firstRunSeed: "done", migrations: { pending: [] } });
});

test("the API refuses requests without a token as JSON", async ({ request }) => {
  const res = await request.get("/api/v1/token");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.stringContaining("Bearer") } });
});
