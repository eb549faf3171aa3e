/**
 * Minority events against real PostgreSQL: log ingest is validated whole (each bad input of
 * the issue named, nothing stored), idempotent and versioned; the machine logs refuse
 * change even for the owner; the eight case studies load and replay as the seed tells them;
 * analysts' actions are version-checked edit-log entries; weekend mode confirms as the
 * system, once.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { eventId, reportId, selectEvents, type EventListFilter } from "@/lib/mrs";
import { CASE_STUDIES } from "@/prisma/demo/case-studies";
import { seedDemoEvents } from "@/prisma/demo-events";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { verifyLedger } from "../ledger";
import { createUser, findUserByEmail } from "../users";
import { actOnEvent, actOnReport } from "./actions";
import { ingestEventLogRows } from "./ingest";
import { runWeekendAutomation, saveWeekendConfig, weekendConfigVersions } from "./schedules";
import { exportEventsCsv } from "./list";
import { eventsView, getEventDetail, getReportDetail, listDownstreamWindows } from "./views";

const db = withTestDatabase();
const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };
const prefix = randomUUID().slice(0, 6);
let analyst: Extract<Actor, { kind: "user" }>;
let lead: Extract<Actor, { kind: "user" }>;

async function demoUser(email: string, name: string, role: "analyst" | "lead"): Promise<Extract<Actor, { kind: "user" }>> {
  const user = (await findUserByEmail(OPERATOR, email)) ?? (await createUser(OPERATOR, { email, name, role, password: "correct horse battery" }));
  return { kind: "user", id: user.id, email, name, role };
}

function detected(store: string, start = "2026-11-20T08:00:00.000Z", extra: object = {}) {
  const sku = `SKU-${prefix}`;
  return {
    reportId: reportId(store, sku, start),
    storeId: store,
    retailer: "Tesco",
    sku,
    windowStart: start,
    baseline: 1000,
    actual: 1600,
    uplift: 600,
    writtenAt: "2026-11-20T09:00:00.000Z",
    ...extra,
  };
}

beforeAll(async () => {
  analyst = await demoUser("analyst@demo.local", "Ada Analyst", "analyst");
  lead = await demoUser("lead@demo.local", "Lena Lead", "lead");
  await seedDemoEvents();
}, 120_000);

describe("event log ingest", () => {
  it("refuses each kind of bad input naming the row, field and rule, and stores nothing", async () => {
    const good = detected(`S-${prefix}-1`);
    const refused = async (log: string, rows: unknown[]) => {
      const error = await ingestEventLogRows(token, log, { rows }).catch((e: unknown) => e);
      expect(error, JSON.stringify(rows)).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fields ?? {};
    };
    await expect(ingestEventLogRows(token, "sales", { rows: [good] })).rejects.toThrow(/Unknown log "sales": one of detected, clustered, attribution, ended, cohort/);
    expect(Object.keys(await refused("detected", [good, { ...good, reportId: undefined }]))).toContain("rows.1.reportId");
    const attribution = {
      reportId: good.reportId,
      attributionRunId: "run-1",
      cause_1: { category: "promotion", label: "Promo" },
      confidence_1: 1.4,
      narrative: "x",
      evidence: [],
      writtenAt: "2026-11-20T10:00:00.000Z",
    };
    expect(JSON.stringify(await refused("attribution", [attribution]))).toMatch(/confidence_1.*between 0 and 1/);
    expect(JSON.stringify(await refused("attribution", [{ ...attribution, confidence_1: 0.5, cause_1: { category: "aliens", label: "x" } }]))).toMatch(/cause_1/);
    await ingestEventLogRows(token, "detected", { rows: [good] });
    expect(JSON.stringify(await refused("ended", [{ reportId: good.reportId, windowEnd: "2026-11-19T00:00:00.000Z", writtenAt: "2026-11-20T11:00:00.000Z" }]))).toMatch(/windowEnd/);
    expect(JSON.stringify(await refused("detected", [{ ...detected(`S-${prefix}-2`), writtenAt: "2099-01-01T00:00:00.000Z" }]))).toMatch(/writtenAt/);
    expect(Number((await db.handle().pool.query("SELECT count(*) FROM event_log_rows WHERE report_id = $1", [good.reportId])).rows[0].count)).toBe(1);
    await expect(ingestEventLogRows({ ...token, scopes: ["read"] }, "detected", { rows: [good] })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("stores the stages independently: a cohort row before its report's detection is kept, and the report joins its event when the detection arrives", async () => {
    const early = detected(`S-${prefix}-late`, "2026-11-20T08:00:00.000Z", { writtenAt: new Date(Date.now() - 120_000).toISOString() });
    const group = `LATE-${prefix}`;
    const cohortAt = new Date(Date.now() - 90_000).toISOString();
    expect(await ingestEventLogRows(token, "cohort", { rows: [{ reportId: early.reportId, reportGroupId: group, cohortSize: 1, cohortConfidence: 0.6, writtenAt: cohortAt }] })).toMatchObject({ stored: 1 });
    expect(await ingestEventLogRows(token, "ended", { rows: [{ reportId: early.reportId, windowEnd: "2026-11-20T18:00:00.000Z", writtenAt: cohortAt }] })).toMatchObject({ stored: 1 });
    // Before the detection: the cohort row is there, the event knows the report (its figures missing).
    const before = (await eventsView(analyst)).reports.find((r) => r.reportId === early.reportId);
    expect(before).toMatchObject({ eventId: eventId(group), storeId: null });
    await ingestEventLogRows(token, "detected", { rows: [early] });
    const event = (await getEventDetail(analyst, eventId(group))).event;
    expect(event.reportIds).toEqual([early.reportId]);
    expect(event).toMatchObject({ storeId_1: early.storeId, windowEnd: "2026-11-20T18:00:00.000Z" });
  });

  it("is idempotent: a replay of any earlier version is a no-op, new content under a key is its next version", async () => {
    const row = detected(`S-${prefix}-3`);
    expect(await ingestEventLogRows(token, "detected", { rows: [row] })).toMatchObject({ received: 1, stored: 1, versioned: 0, unchanged: 0 });
    expect(await ingestEventLogRows(token, "detected", { rows: [row] })).toMatchObject({ stored: 0, versioned: 0, unchanged: 1 });
    expect(await ingestEventLogRows(token, "detected", { rows: [{ ...row, actual: 1700, uplift: 700, writtenAt: "2026-11-20T09:30:00.000Z" }] })).toMatchObject({ versioned: 1 });
    const versions = (await db.handle().pool.query("SELECT version FROM event_log_rows WHERE report_id = $1 ORDER BY version", [row.reportId])).rows.map((r) => r.version);
    expect(versions).toEqual([1, 2]);
    // A, B, A, B: sending an earlier version again is a replay too, not a third and fourth version.
    const b = { ...row, actual: 1700, uplift: 700, writtenAt: "2026-11-20T09:30:00.000Z" };
    expect(await ingestEventLogRows(token, "detected", { rows: [row] })).toMatchObject({ stored: 0, versioned: 0, unchanged: 1 });
    expect(await ingestEventLogRows(token, "detected", { rows: [b] })).toMatchObject({ stored: 0, versioned: 0, unchanged: 1 });
    expect((await db.handle().pool.query("SELECT count(*)::int AS n FROM event_log_rows WHERE report_id = $1", [row.reportId])).rows[0].n).toBe(2);
    // The database keeps one copy of a content per key even when asked directly.
    await expect(
      db.handle().pool.query(
        "INSERT INTO event_log_rows (log, natural_key, version, report_id, content_hash, row, written_at) SELECT log, natural_key, 3, report_id, content_hash, row, written_at FROM event_log_rows WHERE report_id = $1 AND version = 1",
        [row.reportId],
      ),
    ).rejects.toThrow(/already holds this content/);
    await expect(db.handle().pool.query("DELETE FROM event_log_rows")).rejects.toThrow(/permission denied/);
    await expect(db.owner().pool.query("UPDATE event_log_rows SET version = 9")).rejects.toThrow(/append-only/);
  });
});

describe("the case studies, replayed", () => {
  it("loads all eight; MR-UK-001's cause changes from Campaign Spend 0.55 to TikTok Viral 0.72 as of the refresh", async () => {
    const now = await eventsView(analyst);
    for (const study of CASE_STUDIES) expect(now.events.map((e) => e.eventId)).toContain(study.eventId);
    const id = eventId("MR-UK-001");
    const before = (await getEventDetail(analyst, id, "2025-08-11T12:30:00.000Z")).event;
    expect(before).toMatchObject({ machineCauseLabel: "Campaign Spend", confidence: 0.55 });
    const after = (await getEventDetail(analyst, id, "2025-08-11T16:30:00.000Z")).event;
    expect(after).toMatchObject({ machineCauseLabel: "TikTok Viral", confidence: 0.72 });
    await expect(eventsView(analyst, "2999-01-01T00:00:00Z")).rejects.toBeInstanceOf(BadRequestError);
    await expect(eventsView(analyst, "yesterday")).rejects.toBeInstanceOf(BadRequestError);
    await expect(getEventDetail(analyst, "ME-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("MR-UK-007 is confirmed by the weekend-mode job the seed ran, under the version in force when it arrived (not the newest), naming rule and version", async () => {
    const id = eventId("MR-UK-007");
    expect((await weekendConfigVersions()).filter((c) => c.version.startsWith("weekend-2025-")).map((c) => [c.version, c.enabled, c.effectiveFrom])).toEqual([
      ["weekend-2025-08-09", true, "2025-08-08T17:00:00.000Z"],
      ["weekend-2025-08-11", false, "2025-08-11T06:00:00.000Z"],
    ]);
    const detail = await getEventDetail(analyst, id);
    expect(detail.event).toMatchObject({ status: "decided", autoConfirmed: true, decidedByType: "system", decidedById: "weekend_auto_confirm", decidedConfigVersion: "weekend-2025-08-09", causeLabel: "Deliveroo Promo", decidedAt: "2025-08-09T12:35:00.000Z" });
    const entries = detail.timeline.filter((t) => t.kind === "human").map((t) => t.entry!);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "confirm", reasonCode: "weekend_auto_confirm", actor: { type: "system", rule: "weekend_auto_confirm", configVersion: "weekend-2025-08-09" }, effectiveAt: "2025-08-09T12:35:00.000Z" });
    expect(entries[0]!.reasonText).toBe("Weekend mode weekend-2025-08-09 (in force from 2025-08-08T17:00:00.000Z): confidence 0.92 above 0.7, arrived 2025-08-09T12:30:00.000Z.");
    // Written by the job itself: it carries the job's derived request id, and a run at the same instant finds nothing left to do.
    const stored = (await db.handle().pool.query<{ c: string }>("SELECT c FROM edit_log WHERE subject_type = 'event' AND subject_id = $1", [id])).rows.map((r) => JSON.parse(r.c) as { requestId?: string });
    expect(stored[0]!.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await runWeekendAutomation(OPERATOR, new Date("2025-08-09T12:35:00.000Z"))).toBe(0);
    expect((await getEventDetail(analyst, id, "2025-08-09T12:34:00.000Z")).event).toMatchObject({ status: "open", hasDecision: false });
  });

  it("MR-UK-004 is finalised, reopened by the lead with a reason, decided again and finalised again: entries the console's action function wrote", async () => {
    const id = eventId("MR-UK-004");
    const detail = await getEventDetail(analyst, id);
    const entries = detail.timeline.filter((t) => t.kind === "human").map((t) => ({ ...t.entry!, name: t.actorName }));
    expect(entries.map((e) => [e.action, e.effectiveAt, e.actor.type === "user" ? e.actor.role : "system"])).toEqual([
      ["note", "2025-08-08T09:00:00.000Z", "analyst"],
      ["override", "2025-08-08T09:15:00.000Z", "analyst"],
      ["finalise", "2025-08-08T11:00:00.000Z", "lead"],
      ["reopen", "2025-08-08T14:00:00.000Z", "lead"],
      ["override", "2025-08-08T15:00:00.000Z", "analyst"],
      ["finalise", "2025-08-08T16:00:00.000Z", "lead"],
    ]);
    const [reopen, again, final] = entries.slice(3);
    // The action function's own entry: the state it saw as of the action, and the request id the seed sent.
    expect(reopen).toMatchObject({ after: { status: "open" }, before: { status: "finalised" }, reasonCode: "new_evidence", reasonText: expect.stringMatching(/^Glasgow and Newcastle lifted an hour after/) });
    expect(again).toMatchObject({ before: { status: "open" }, after: { status: "decided", cause: { category: "social_viral", label: "National TV recipe feature" } }, evidence: ["https://tv.example.com/schedules/regional-2025-08-07"] });
    expect(final).toMatchObject({ before: { status: "decided" }, after: { status: "finalised", outcome: "approved" } });
    for (const e of [reopen, again, final]) expect((e as unknown as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await getEventDetail(analyst, id, "2025-08-08T14:30:00.000Z")).event).toMatchObject({ status: "open", outcome: null, analystCauseLabel: null });
    expect((await getEventDetail(analyst, id, "2025-08-08T15:30:00.000Z")).event).toMatchObject({ status: "decided", analystCauseLabel: "National TV recipe feature" });
    expect(detail.event).toMatchObject({ status: "finalised", outcome: "approved", causeLabel: "National TV recipe feature", decidedAt: "2025-08-08T16:00:00.000Z" });
    // Seeding again is a no-op: the actions' request ids find the entries already written.
    expect((await seedDemoEvents()).entries).toBe(0);
    expect((await getEventDetail(analyst, id)).timeline.filter((t) => t.kind === "human")).toHaveLength(6);
  });

  it("an action dated before the subject's latest entry, or in the future, is refused", async () => {
    const id = eventId("MR-UK-004");
    const ledgerVersion = (await getEventDetail(analyst, id)).ledgerVersion;
    const note = { eventId: id, action: "note", reasonText: "late note", ledgerVersion, requestId: randomUUID() };
    await expect(actOnEvent(analyst, note, { at: new Date("2025-08-08T12:00:00.000Z") })).rejects.toThrow(/cannot precede its latest entry/);
    await expect(actOnEvent(analyst, note, { at: new Date(Date.now() + 3_600_000) })).rejects.toBeInstanceOf(ValidationError);
    expect((await getEventDetail(analyst, id)).ledgerVersion).toBe(ledgerVersion);
  });

  it("the CSV download selects what the list's filters select: events of one priority, and only their reports", async () => {
    const collect = async (kind: string, filter?: EventListFilter) => {
      let text = "";
      for await (const chunk of exportEventsCsv(analyst, kind, null, filter)) text += chunk;
      return text;
    };
    const view = await eventsView(analyst);
    const filter: EventListFilter = { cause: null, tier: null, priority: "high", status: null, degraded: null, retailer: null, from: null, to: null, sort: "priority", dir: null };
    const kept = selectEvents(view.events, filter);
    const dropped = view.events.filter((e) => !kept.includes(e));
    expect(kept.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    const events = await collect("events", filter);
    for (const e of kept) expect(events).toContain(e.eventId);
    for (const e of dropped) expect(events).not.toContain(e.eventId);
    const reports = await collect("reports", filter);
    const keptIds = new Set(kept.map((e) => e.eventId));
    for (const r of view.reports) {
      if (r.eventId !== null && keptIds.has(r.eventId)) expect(reports).toContain(r.reportId);
      else expect(reports).not.toContain(r.reportId);
    }
    // Without a filter, everything.
    const all = await collect("events");
    for (const e of view.events) expect(all).toContain(e.eventId);
  });
});

describe("the windows downstream systems must exclude or reweight", () => {
  it("pages through every window once by keyset, filters by status and period, and names a bad parameter", async () => {
    const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "mmm@x", scopes: ["read"] };
    const all = await listDownstreamWindows(reader, {});
    expect(all.windows.length).toBeGreaterThan(8);
    expect(all.next).toBeNull();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listDownstreamWindows>> = await listDownstreamWindows(reader, { limit: "3", ...(after ? { after } : {}) });
      expect(page.windows.length).toBeLessThanOrEqual(3);
      seen.push(...page.windows.map((w) => w.reportId));
      after = page.next;
    } while (after !== null);
    expect(seen).toEqual(all.windows.map((w) => w.reportId));
    for (const w of (await listDownstreamWindows(reader, { status: "finalised" })).windows) expect(w.status).toBe("finalised");
    const august = await listDownstreamWindows(reader, { from: "2025-08-11", to: "2025-08-11" });
    for (const w of august.windows) {
      expect(Date.parse(w.windowStart)).toBeLessThan(Date.parse("2025-08-12T00:00:00Z"));
      if (w.windowEnd !== null) expect(Date.parse(w.windowEnd)).toBeGreaterThanOrEqual(Date.parse("2025-08-11T00:00:00Z"));
    }
    expect(august.windows.length).toBeLessThan(all.windows.length);
    await expect(listDownstreamWindows(reader, { from: "11/08/2025" })).rejects.toThrow(/^from must be a day \(YYYY-MM-DD, UTC\) or an ISO-8601 instant/);
    await expect(listDownstreamWindows(reader, { status: "open,closed" })).rejects.toThrow(/^status must be one or more of open, decided, finalised.*not closed/);
    await expect(listDownstreamWindows(reader, { after: "bm90LWEtY3Vyc29y" })).rejects.toBeInstanceOf(BadRequestError);
    await expect(listDownstreamWindows(reader, { limit: "0" })).rejects.toThrow(/^limit must be/);
    await expect(listDownstreamWindows(token, {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("past instants read only the rows of the event asked for", () => {
  it("an event's and a report's replay equal the whole replay at the same instant, for every case study at several instants", async () => {
    const instants = ["2025-08-06T13:30:00.000Z", "2025-08-09T12:40:00.000Z", "2025-08-11T12:30:00.000Z", "2025-08-11T16:30:00.000Z", "2025-08-14T00:00:00.000Z", "2025-09-01T00:00:00.000Z"];
    let compared = 0;
    for (const asOf of instants) {
      const whole = await eventsView(analyst, asOf);
      for (const c of CASE_STUDIES) {
        const expected = whole.events.find((e) => e.eventId === c.eventId);
        if (!expected) continue;
        const detail = await getEventDetail(analyst, expected.eventId, asOf);
        expect(detail.event).toEqual(expected);
        expect(detail.reports).toEqual(whole.reports.filter((r) => r.eventId === expected.eventId));
        const first = expected.reportIds[0]!;
        expect((await getReportDetail(analyst, first, asOf)).report).toEqual(whole.reports.find((r) => r.reportId === first));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  }, 120_000);
});

describe("actions on a report", () => {
  it("an analyst confirms a report with a reason code, overrides it with a closed cause and a reason, and notes it; each version-checked on the report", async () => {
    const row = detected(`S-${prefix}-r`, "2026-11-20T08:00:00.000Z", { writtenAt: "2026-11-20T09:00:00.000Z" });
    await ingestEventLogRows(token, "detected", { rows: [row] });
    await ingestEventLogRows(token, "attribution", {
      rows: [{ reportId: row.reportId, attributionRunId: "r-1", cause_1: { category: "promotion", label: "Delivery promo" }, confidence_1: 0.64, narrative: "n", evidence: [], writtenAt: "2026-11-20T09:10:00.000Z" }],
    });
    const detail = () => getReportDetail(analyst, row.reportId);
    expect((await detail()).ledgerVersion).toBe(0);
    const refused = await actOnReport(analyst, { reportId: row.reportId, action: "confirm", ledgerVersion: 0, requestId: randomUUID() }).catch((e: unknown) => e);
    expect((refused as ValidationError).fields).toMatchObject({ reasonCode: ["is required to confirm: why the machine's cause holds"] });
    await expect(actOnReport(analyst, { reportId: row.reportId, action: "finalise", ledgerVersion: 0, requestId: randomUUID() })).rejects.toBeInstanceOf(ValidationError);

    await actOnReport(analyst, { reportId: row.reportId, action: "confirm", reasonCode: "evidence_corroborates", ledgerVersion: 0, requestId: randomUUID() });
    expect((await detail()).report).toMatchObject({ analystStatus: "decided", analystCauseLabel: "Delivery promo", decidedOn: "report", analystReasonCode: "evidence_corroborates" });
    // A page opened before the confirmation is stale.
    await expect(actOnReport(analyst, { reportId: row.reportId, action: "note", reasonText: "late", ledgerVersion: 0, requestId: randomUUID() })).rejects.toBeInstanceOf(ConflictError);

    const override = { reportId: row.reportId, action: "override", cause: { category: "data_error", label: "Duplicated till feed" }, reasonCode: "new_evidence", reasonText: "The store's till sent the day twice.", ledgerVersion: 1, requestId: randomUUID() };
    await actOnReport(analyst, override);
    // The same request again is a replay, not a second override.
    expect(await actOnReport(analyst, override)).toMatchObject({ replayed: true });
    await actOnReport(analyst, { reportId: row.reportId, action: "note", reasonText: "Asked the store to confirm.", ledgerVersion: 2, requestId: randomUUID() });
    const after = await detail();
    expect(after.report).toMatchObject({ analystCauseCategory: "data_error", analystCauseLabel: "Duplicated till feed", analystNoteCount: 1 });
    expect(after.actions.map((a) => a.entry.action)).toEqual(["confirm", "override", "note"]);
    expect(after.ledgerVersion).toBe(3);
    const readOnly: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };
    await expect(actOnReport(readOnly, override)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("actions on events", () => {
  it("reopen by a lead only, override with a reason, stale versions refused, finalise", async () => {
    const id = eventId("MR-UK-008");
    const version = async () => (await getEventDetail(analyst, id)).ledgerVersion;
    expect((await getEventDetail(analyst, id)).event.status).toBe("finalised");
    const reopen = { eventId: id, action: "reopen", reasonText: "The Reels uplift came back the next week.", requestId: randomUUID() };
    await expect(actOnEvent(analyst, { ...reopen, ledgerVersion: await version() })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(actOnEvent(lead, { ...reopen, reasonText: "" , ledgerVersion: await version() })).rejects.toBeInstanceOf(ValidationError);
    await actOnEvent(lead, { ...reopen, ledgerVersion: await version() });
    expect((await getEventDetail(analyst, id)).event.status).toBe("open");

    const seen = await version();
    await expect(actOnEvent(analyst, { eventId: id, ledgerVersion: seen, action: "override", cause: { category: "promotion", label: "In-store promo" }, requestId: randomUUID() })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const override = {
      eventId: id,
      ledgerVersion: seen,
      action: "override",
      cause: { category: "promotion", label: "In-store promo" },
      reasonCode: "new_evidence",
      reasonText: "Store manager confirmed a shelf promotion that week.",
      requestId: randomUUID(),
    };
    expect(await actOnEvent(analyst, override)).toMatchObject({ replayed: false });
    expect(await actOnEvent(analyst, override)).toMatchObject({ replayed: true });
    expect((await getEventDetail(analyst, id)).event).toMatchObject({ causeSource: "analyst", analystCauseLabel: "In-store promo", status: "decided" });
    // A page opened before the override is stale.
    await expect(actOnEvent(analyst, { eventId: id, ledgerVersion: seen, action: "note", reasonText: "late", requestId: randomUUID() })).rejects.toBeInstanceOf(ConflictError);
    await actOnEvent(lead, { eventId: id, ledgerVersion: await version(), action: "finalise", outcome: "approved", reasonCode: "evidence_corroborates", requestId: randomUUID() });
    expect((await getEventDetail(analyst, id)).event.status).toBe("finalised");
  });

  it("weekend mode confirms high-confidence events as the system, once however many runs overlap, naming the configuration", async () => {
    const store = `S-${prefix}-w`;
    const row = detected(store, "2026-11-21T08:00:00.000Z", { writtenAt: new Date(Date.now() - 60_000).toISOString() });
    const writtenAt = new Date(Date.now() - 30_000).toISOString();
    await ingestEventLogRows(token, "detected", { rows: [row] });
    await ingestEventLogRows(token, "attribution", {
      rows: [{ reportId: row.reportId, attributionRunId: "w-1", cause_1: { category: "promotion", label: "Delivery promo" }, confidence_1: 0.91, narrative: "n", evidence: [], writtenAt }],
    });
    await ingestEventLogRows(token, "cohort", { rows: [{ reportId: row.reportId, reportGroupId: `WK-${prefix}`, cohortSize: 1, cohortConfidence: 0.9, writtenAt }] });
    const version = `weekend-test-${prefix}`;
    await saveWeekendConfig(OPERATOR, {
      version,
      enabled: true,
      schedule: [{ start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() }],
      confidenceAbove: 0.7,
      consequentialCategories: [],
      // In force before the event arrived: the version in force at arrival decides (schedules.test.ts).
      effectiveFrom: new Date(Date.now() - 3_600_000).toISOString(),
    });
    // Two runs at once (two server processes, say): the event is confirmed once.
    const fired = await Promise.all([runWeekendAutomation(OPERATOR), runWeekendAutomation(OPERATOR), runWeekendAutomation(OPERATOR)]);
    expect(fired.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const confirmations = await db.handle().pool.query("SELECT seq FROM edit_log WHERE subject_type = 'event' AND subject_id = $1 AND action = 'confirm'", [eventId(`WK-${prefix}`)]);
    expect(confirmations.rowCount).toBe(1);
    const event = (await getEventDetail(analyst, eventId(`WK-${prefix}`))).event;
    expect(event).toMatchObject({ status: "decided", autoConfirmed: true, decidedByType: "system", decidedConfigVersion: version });
    expect(await runWeekendAutomation(OPERATOR)).toBe(0);
  });
});
