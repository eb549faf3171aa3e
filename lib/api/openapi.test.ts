import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(openApiDocument())) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route of /api/v1 with the schemas the API validates with", () => {
    const doc = openApiDocument() as unknown as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/v1/batches", "/api/v1/batches/{id}", "/api/v1/events/export", "/api/v1/events/logs/{log}", "/api/v1/events/windows", "/api/v1/governance/alerts", "/api/v1/governance/events", "/api/v1/governance/overrides", "/api/v1/governance/routing", "/api/v1/governance/slices", "/api/v1/labels", "/api/v1/ledger/export", "/api/v1/ledger/proof/consistency", "/api/v1/ledger/proof/inclusion/{seq}", "/api/v1/ledger/verify", "/api/v1/model-cards", "/api/v1/model-cards/{id}", "/api/v1/queue", "/api/v1/results/{recordId}", "/api/v1/token", "/api/v1/trail/{subjectType}/{id}"]);
    const body = JSON.stringify(doc.paths["/api/v1/batches"]);
    // The scored-record rules come from the gating core's schema: spends ≥ 0 or null, probabilities in [0, 1].
    expect(body).toContain('"pModel"');
    expect(body).toContain('"logitContributions"');
    expect(body).toMatch(/"minimum":0/);
    expect(body).toContain('"maxItems":10000');
    expect(doc.components.schemas.QueueItem!.properties).toHaveProperty("recordId");
    const queue = JSON.stringify(doc.paths["/api/v1/queue"]);
    for (const param of ["flag", "cluster", "sort", "cursor", "limit"]) expect(queue).toContain(`"name":"${param}"`);
    // Label feedback: the strict per-label schema the route validates with, and its conflict answer.
    expect(doc.components.schemas.RecordLabel!.properties).toEqual(expect.objectContaining({ recordId: expect.anything(), label: expect.anything(), observedAt: expect.anything(), source: expect.anything() }));
    expect(JSON.stringify(doc.paths["/api/v1/labels"])).toContain('"409"');
    // Model cards: the card schema the route validates with (ranges, the task's metrics), and the conflict answer.
    const cards = JSON.stringify(doc.paths["/api/v1/model-cards"]);
    for (const field of ['"schemaVersion"', '"poissonDeviance"', '"signature"', '"409"', '"201"']) expect(cards).toContain(field);
    expect(cards).toMatch(/"maximum":1/);
  });
});
