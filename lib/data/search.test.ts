/**
 * The command palette's lookup against real PostgreSQL: a record by id prefix, an event by
 * its group id or event id, a report by id; nothing for an id that does not exist; and
 * only what the role may see (a manager finds pages, never records or events).
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError } from "@/lib/errors";
import { type ScoredRecord } from "@/lib/gating";
import { eventId } from "@/lib/mrs";
import { CASE_STUDIES } from "@/prisma/demo/case-studies";
import { scoredReferenceData } from "@/lib/reference-data";
import { seedDemoEvents } from "@/prisma/demo-events";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { ingestBatch } from "./ingest";
import { search } from "./search";
import { createUser, findUserByEmail } from "./users";

withTestDatabase();
// A prefix no other test's record ids start with: `_` in it must match literally.
const prefix = `s_${randomUUID().slice(0, 6)}`;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
const person = (role: "analyst" | "manager" | "admin" | "governance"): Actor => ({ kind: "user", id: randomUUID(), email: `${role}@x`, name: role, role });
let ids: string[] = [];

beforeAll(async () => {
  const records: ScoredRecord[] = scoredReferenceData()
    .slice(0, 12)
    .map((r) => ({ ...r, recordId: `${prefix}-${r.recordId}` }));
  ids = records.map((r) => r.recordId).sort();
  await ingestBatch(ingestor, { body: JSON.stringify({ batchId: `${prefix}-b`, records }), contentType: "application/json", idempotencyKey: null });
  // The demo's events name the demo analyst and lead.
  for (const [email, role] of [["analyst@demo.local", "analyst"], ["lead@demo.local", "lead"]] as const) {
    if (!(await findUserByEmail(OPERATOR, email))) await createUser(OPERATOR, { email, name: role, role, password: "correct horse battery" });
  }
  await seedDemoEvents();
}, 120_000);

describe("search (Ctrl+K lookup)", () => {
  it("finds a real record by a prefix of its id, at most 8, in id order", async () => {
    const hits = (await search(person("analyst"), prefix)).filter((h) => h.kind === "record");
    expect(hits.map((h) => h.id)).toEqual(ids.slice(0, 8));
    expect((await search(person("analyst"), prefix.toUpperCase())).map((h) => h.id)).toEqual(ids.slice(0, 8));
    const one = await search(person("analyst"), ids[3]);
    expect(one[0]).toEqual({ kind: "record", id: ids[3], label: `Record ${ids[3]}`, detail: "Audit queue", href: `/queue/${ids[3]}` });
    // `_` is taken literally, not as LIKE's one-character wildcard.
    expect(await search(person("analyst"), prefix.replace("_", "x"))).toEqual([]);
  });

  it("finds an event by its group id (any case) or its event id, and a report by its id", async () => {
    const event = eventId("MR-UK-001");
    for (const text of ["MR-UK-001", "mr-uk-001", event, event.slice(0, 8)]) {
      const hits = await search(person("analyst"), text);
      expect(hits[0], text).toEqual({ kind: "event", id: "MR-UK-001", label: "Event MR-UK-001", detail: event, href: `/events/${event}` });
    }
    // A group prefix lists the groups there are.
    expect((await search(person("analyst"), "MR-UK-00")).filter((h) => h.kind === "event").length).toBe(Math.min(8, CASE_STUDIES.length));
    const report = (await seededReportId())!;
    expect(await search(person("governance"), report)).toEqual([
      { kind: "report", id: report, label: `Report ${report}`, detail: "Minority report", href: `/events/reports/${report}` },
    ]);
  });

  it("suggests nothing for an id that does not exist", async () => {
    for (const text of ["9999_99", "MR-UK-999", "MR-0123456789abcdef", "ME-000000000000", `${prefix}-nope`, "Open record edit"]) {
      expect(await search(person("analyst"), text), text).toEqual([]);
    }
  });

  it("offers only what the role may see: a manager or an admin gets pages, never records or events", async () => {
    for (const role of ["manager", "admin"] as const) {
      expect(await search(person(role), ids[0])).toEqual([]);
      expect(await search(person(role), "MR-UK-001")).toEqual([]);
    }
    expect((await search(person("admin"), "users")).map((h) => [h.kind, h.href])).toEqual([["page", "/admin/users"]]);
    expect((await search(person("analyst"), "queue")).map((h) => [h.kind, h.href])).toEqual([["page", "/queue"]]);
    await expect(search({ kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["read"] }, "x")).rejects.toBeInstanceOf(ForbiddenError);
  });
});

/** One report id the demo's events hold. */
async function seededReportId(): Promise<string | undefined> {
  const { db } = await import("./db");
  return (await db().pool.query<{ report_id: string }>("SELECT report_id FROM event_log_rows ORDER BY report_id LIMIT 1")).rows[0]?.report_id;
}
