/**
 * Weekend mode against real PostgreSQL, in a database of its own (configuration versions
 * are immutable and global: another file's versions would decide for these events): each
 * event is judged by the version in force when it arrived, never simply the newest, and
 * the system entry names that version; overlapping runs still confirm each event once.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ValidationError } from "@/lib/errors";
import { eventId, reportId } from "@/lib/mrs";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { ingestEventLogRows } from "./ingest";
import { runWeekendAutomation, saveWeekendConfig, weekendConfigVersions } from "./schedules";
import { eventsView } from "./views";

const db = withTestDatabase({ own: "weekend" });
const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };
const prefix = randomUUID().slice(0, 6);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** One report in its own event, whose confidence arrives `arrivedMinutesAgo`. */
async function eventArriving(name: string, arrivedMinutesAgo: number, confidence: number): Promise<string> {
  const group = `WK-${prefix}-${name}`;
  const sku = `SKU-${prefix}`;
  const windowStart = "2026-11-21T08:00:00.000Z";
  const id = reportId(`S-${prefix}-${name}`, sku, windowStart);
  const detectedAt = minutesAgo(arrivedMinutesAgo + 2);
  const arrived = minutesAgo(arrivedMinutesAgo);
  await ingestEventLogRows(token, "detected", { rows: [{ reportId: id, storeId: `S-${prefix}-${name}`, retailer: "Tesco", sku, windowStart, baseline: 1000, actual: 1900, uplift: 900, writtenAt: detectedAt }] });
  await ingestEventLogRows(token, "cohort", { rows: [{ reportId: id, reportGroupId: group, cohortSize: 1, cohortConfidence: 0.9, writtenAt: detectedAt }] });
  await ingestEventLogRows(token, "attribution", {
    rows: [{ reportId: id, attributionRunId: `run-${name}`, cause_1: { category: "promotion", label: "Delivery promo" }, confidence_1: confidence, narrative: "n", evidence: [], writtenAt: arrived }],
  });
  return eventId(group);
}

async function confirmationsOf(id: string) {
  const rows = (await db.handle().pool.query<{ c: string }>("SELECT c FROM edit_log WHERE subject_type = 'event' AND subject_id = $1 AND action = 'confirm' ORDER BY seq", [id])).rows;
  return rows.map((r) => JSON.parse(r.c) as { actor: { type: string; rule?: string; configVersion?: string }; reasonText: string });
}

const window = () => [{ start: minutesAgo(180), end: new Date(Date.now() + 3 * 3_600_000).toISOString() }];

describe("weekend mode: the configuration in force when the event arrived decides", () => {
  const v = (name: string) => `wk-${prefix}-${name}`;
  let underOld: string, belowStrict: string, aboveStrict: string, afterOff: string;

  beforeAll(async () => {
    // Three versions, stored in this order, each in force from its effectiveFrom.
    await saveWeekendConfig(OPERATOR, { version: v("on"), enabled: true, schedule: window(), confidenceAbove: 0.7, consequentialCategories: [], effectiveFrom: minutesAgo(120) });
    underOld = await eventArriving("old", 60, 0.8);
    await saveWeekendConfig(OPERATOR, { version: v("strict"), enabled: true, schedule: window(), confidenceAbove: 0.9, consequentialCategories: [], effectiveFrom: minutesAgo(40) });
    belowStrict = await eventArriving("below", 30, 0.85);
    aboveStrict = await eventArriving("above", 25, 0.95);
    await saveWeekendConfig(OPERATOR, { version: v("off"), enabled: false, schedule: [], confidenceAbove: 0.7, consequentialCategories: [], effectiveFrom: minutesAgo(15) });
    afterOff = await eventArriving("late", 5, 0.99);
  });

  it("lists the versions in the order stored, each with the instant it takes effect from", async () => {
    const versions = (await weekendConfigVersions()).filter((c) => c.version.startsWith(`wk-${prefix}-`));
    expect(versions.map((c) => c.version)).toEqual([v("on"), v("strict"), v("off")]);
    expect(versions.every((c) => typeof c.effectiveFrom === "string")).toBe(true);
  });

  it("confirms by the version each event arrived under, naming it; overlapping runs write each confirmation once", async () => {
    const fired = await Promise.all([runWeekendAutomation(OPERATOR), runWeekendAutomation(OPERATOR), runWeekendAutomation(OPERATOR)]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(2);
    // Arrived under the first version: confirmed, although the newest version switches weekend mode off.
    const [old, ...againOld] = await confirmationsOf(underOld);
    expect(againOld).toEqual([]);
    expect(old).toMatchObject({ actor: { type: "system", rule: "weekend_auto_confirm", configVersion: v("on") } });
    expect(old!.reasonText).toMatch(new RegExp(`^Weekend mode ${v("on")} \\(in force from `));
    // Arrived under the stricter version: judged by its threshold.
    expect(await confirmationsOf(belowStrict)).toEqual([]);
    expect((await confirmationsOf(aboveStrict)).map((c) => c.actor.configVersion)).toEqual([v("strict")]);
    // Arrived after weekend mode was switched off: waits for a person, however confident.
    expect(await confirmationsOf(afterOff)).toEqual([]);
    const events = (await eventsView(OPERATOR)).events;
    expect(events.find((e) => e.eventId === underOld)).toMatchObject({ status: "decided", autoConfirmed: true, decidedByType: "system", decidedConfigVersion: v("on") });
    expect(events.find((e) => e.eventId === afterOff)).toMatchObject({ status: "open", hasDecision: false });
    expect(await runWeekendAutomation(OPERATOR)).toBe(0);
  });

  it("a version stored without effectiveFrom is in force from when it was stored: it judges what arrives after, not before", async () => {
    await saveWeekendConfig(OPERATOR, { version: v("on-again"), enabled: true, schedule: window(), confidenceAbove: 0.7, consequentialCategories: [] });
    const stored = (await weekendConfigVersions()).find((c) => c.version === v("on-again"))!;
    expect(Math.abs(Date.parse(stored.effectiveFrom) - Date.now())).toBeLessThan(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const arrivedAfter = await eventArriving("after", 0, 0.9);
    expect(await runWeekendAutomation(OPERATOR)).toBe(1);
    expect((await confirmationsOf(arrivedAfter)).map((c) => c.actor.configVersion)).toEqual([v("on-again")]);
    // The event that arrived while weekend mode was off stays with a person.
    expect(await confirmationsOf(afterOff)).toEqual([]);
  });

  it("people may not date a version in the past; the operator may (the demo's history)", async () => {
    const governance = await testPerson("governance");
    const backdated = { version: v("backdated"), enabled: true, schedule: window(), confidenceAbove: 0.5, consequentialCategories: [], effectiveFrom: minutesAgo(90) };
    const error = await saveWeekendConfig(governance, backdated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ effectiveFrom: ["must not be in the past"] });
    expect((await weekendConfigVersions()).map((c) => c.version)).not.toContain(v("backdated"));
    await saveWeekendConfig(governance, { ...backdated, effectiveFrom: new Date(Date.now() + 60_000).toISOString() });
    expect((await weekendConfigVersions()).map((c) => c.version)).toContain(v("backdated"));
  });
});
