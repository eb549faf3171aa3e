import { describe, expect, it } from "vitest";
import { editLogEntrySchema } from "@/lib/ledger/entry";
import {
  autoConfirmations,
  autoConfirmRefusal,
  eventId,
  humanEntrySchema,
  machineRowsSchema,
  transitionError,
  viewAsOf,
  weekendConfirmations,
  weekendModeConfigSchema,
  type EventRollup,
  type HumanEntry,
  type WeekendModeVersion,
} from "@/lib/mrs";
import { eventActionInputSchema } from "@/lib/validations/events";
import { CASE_STUDIES, CASE_STUDY_FINAL_AT, CASE_STUDY_WEEKEND_MODE, CASE_STUDY_WEEKEND_MODE_OFF, caseStudyData } from "./case-studies";

const data = caseStudyData();
const versions = data.weekendModeConfigs.map((c) => ({ ...c, effectiveFrom: c.effectiveFrom! })) as WeekendModeVersion[];
/** What the seed's weekend-mode runs write (the job at each instant, over the entries before it). */
const systemEntries: HumanEntry[] = data.weekendRuns.reduce<HumanEntry[]>((written, t) => [...written, ...weekendConfirmations(viewAsOf(data.rows, [...data.entries, ...written], t).events, versions, t)], []);
const allEntries = [...data.entries, ...systemEntries];
const view = (asOf: string) => viewAsOf(data.rows, allEntries, asOf);
const event = (group: string, asOf: string): EventRollup | undefined => view(asOf).events.find((e) => e.reportGroupId === group);
const reportsOf = (group: string, asOf: string) => view(asOf).reports.filter((r) => r.reportGroupId === group);
const final = (group: string) => event(group, CASE_STUDY_FINAL_AT)!;

describe("the eight case studies of seed 004: data", () => {
  it("every machine row, entry and the weekend configuration is valid", () => {
    const rows = machineRowsSchema.safeParse(data.rows);
    expect(rows.error?.issues ?? []).toEqual([]);
    for (const e of data.entries) {
      expect(humanEntrySchema.safeParse(e).error?.issues ?? []).toEqual([]);
      expect(editLogEntrySchema.safeParse(e).error?.issues ?? []).toEqual([]);
    }
    for (const c of data.weekendModeConfigs) expect(weekendModeConfigSchema.safeParse(c).error?.issues ?? []).toEqual([]);
    for (const a of data.actions) expect(eventActionInputSchema.safeParse({ ...a.input, ledgerVersion: 0, requestId: "00000000-0000-4000-8000-000000000000" }).error?.issues ?? []).toEqual([]);
  });

  it("weekend-mode versions take effect before the events they judge, and the seed's actions come after each case's entries, in order", () => {
    expect(data.weekendModeConfigs.map((c) => c.version)).toEqual([CASE_STUDY_WEEKEND_MODE.version, CASE_STUDY_WEEKEND_MODE_OFF.version]);
    expect(Date.parse(CASE_STUDY_WEEKEND_MODE.effectiveFrom!)).toBeLessThan(Date.parse("2025-08-09T12:30:00.000Z"));
    const times = data.actions.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const a of data.actions) {
      const before = data.entries.filter((e) => e.subjectId === a.input.eventId).map((e) => Date.parse(e.effectiveAt));
      expect(Math.max(...before)).toBeLessThan(Date.parse(a.at));
    }
    // MR-UK-004: finalised, then reopened (allowed), decided again and finalised again.
    expect(event("MR-UK-004", data.actions[0]!.at)!.status).toBe("finalised");
    expect(data.actions.map((a) => a.input.action)).toEqual(["reopen", "override", "finalise"]);
    expect([transitionError("finalised", "reopen"), transitionError("open", "override"), transitionError("decided", "finalise")]).toEqual([null, null, null]);
  });

  it("is the same data on every call; user ids can be replaced by the seeded users'", () => {
    expect(caseStudyData()).toEqual(data);
    const mine = caseStudyData({ analystId: "33333333-3333-4333-8333-333333333333", leadId: "44444444-4444-4444-8444-444444444444" });
    expect(new Set(mine.entries.flatMap((e) => (e.actor.type === "user" ? [e.actor.id] : [])))).toEqual(new Set(["33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"]));
  });

  it("store counts and cities as the seed gives them", () => {
    const counts = Object.fromEntries(CASE_STUDIES.map((c) => [c.reportGroupId, final(c.reportGroupId).reportCount]));
    expect(counts).toEqual({ "MR-UK-001": 10, "MR-UK-002": 15, "MR-UK-003": 10, "MR-UK-004": 8, "MR-UK-005": 7, "MR-UK-006": 4, "MR-UK-007": 18, "MR-UK-008": 5 });
    for (const c of CASE_STUDIES) {
      expect(c.eventId).toBe(eventId(c.reportGroupId));
      expect(final(c.reportGroupId).reportCount).toBe(c.storeCount);
      const cities = new Set(reportsOf(c.reportGroupId, CASE_STUDY_FINAL_AT).map((r) => r.city));
      expect([...cities].sort()).toEqual([...new Set(c.cities)].sort());
    }
    expect(new Set(reportsOf("MR-UK-001", CASE_STUDY_FINAL_AT).map((r) => r.city))).toEqual(new Set(["London"]));
    expect(new Set(reportsOf("MR-UK-002", CASE_STUDY_FINAL_AT).map((r) => r.retailer))).toEqual(new Set(["Waitrose"]));
    expect(new Set(reportsOf("MR-UK-003", CASE_STUDY_FINAL_AT).map((r) => r.city))).toEqual(new Set(["Birmingham"]));
    expect(new Set(reportsOf("MR-UK-004", CASE_STUDY_FINAL_AT).map((r) => r.city)).size).toBe(8);
    expect(new Set(reportsOf("MR-UK-005", CASE_STUDY_FINAL_AT).map((r) => r.city)).size).toBe(7);
    expect(new Set(reportsOf("MR-UK-008", CASE_STUDY_FINAL_AT).map((r) => r.city))).toEqual(new Set(["Norwich"]));
  });

  it("moments are in order and before the final instant", () => {
    for (const c of CASE_STUDIES) {
      const times = c.moments.map((m) => Date.parse(m.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(CASE_STUDY_FINAL_AT));
    }
  });
});

describe("MR-UK-001 TikTok viral: Campaign Spend 0.55 → TikTok Viral 0.72, then HITL", () => {
  it("before detection is cohorted there is no event; the reports are visible", () => {
    expect(event("MR-UK-001", "2025-08-11T10:05:00.000Z")).toBeUndefined();
    expect(view("2025-08-11T10:05:00.000Z").reports.filter((r) => r.sku === "JUPYTER-BAR-DUO")).toHaveLength(10);
  });

  it("before the refresh: Campaign Spend 0.55, Medium, open", () => {
    expect(event("MR-UK-001", "2025-08-11T12:00:00.000Z")).toMatchObject({
      machineCauseCategory: "marketing_misattribution",
      machineCauseLabel: "Campaign Spend",
      confidence: 0.55,
      confidenceTier: "medium",
      status: "open",
      priority: "medium",
      priorityRule: "default",
      windowEnd: null,
      unendedReportCount: 10,
    });
    // Just before the refresh row is written, still the initial attribution.
    expect(event("MR-UK-001", "2025-08-11T15:59:59.999Z")!.machineCauseLabel).toBe("Campaign Spend");
  });

  it("after the refresh: TikTok Viral 0.72 (High tier), Campaign Spend kept as candidate 2", () => {
    expect(event("MR-UK-001", "2025-08-11T16:00:00.000Z")).toMatchObject({ machineCauseCategory: "social_viral", machineCauseLabel: "TikTok Viral", confidence: 0.72, confidenceTier: "high", status: "open" });
    const top = reportsOf("MR-UK-001", "2025-08-11T16:00:00.000Z").find((r) => r.confidence_1 === 0.72)!;
    expect(top).toMatchObject({ causeLabel_2: "Campaign Spend", confidence_2: 0.2, machineEvidence: [{ kind: "snippet", source: "social listening" }] });
  });

  it("analyst adds the TikTok link and confirms; the lead finalises approved", () => {
    expect(event("MR-UK-001", "2025-08-11T17:00:00.000Z")).toMatchObject({
      status: "decided",
      analystAction: "confirm",
      analystCauseLabel: "TikTok Viral",
      decidedByRole: "analyst",
      noteCount: 1,
      analystEvidence: ["https://www.tiktok.example.com/tag/jupyterchallenge"],
      autoConfirmed: false,
    });
    expect(final("MR-UK-001")).toMatchObject({ status: "finalised", outcome: "approved", causeCategory: "social_viral", causeLabel: "TikTok Viral", decidedByRole: "lead", unendedReportCount: 0 });
  });
});

describe("MR-UK-002 till fault: a weak signal closed as a Data Error false positive", () => {
  it("15 stores: 14 aligned, 1 overflow; confidence < 0.3 → Low", () => {
    const e = event("MR-UK-002", "2025-08-05T12:00:00.000Z")!;
    expect(e).toMatchObject({ reportCount: 15, overflowStoreCount: 1, confidence: 0.24, confidenceTier: "low", priority: "low", priorityRule: "low_confidence", status: "open" });
    for (let n = 1; n <= 14; n++) expect(e[`retailer_${n as 1}`]).toBe("Waitrose");
  });

  it("ops email, then finalised false positive with Data Error; the machine's guess stays visible", () => {
    expect(event("MR-UK-002", "2025-08-05T14:00:00.000Z")).toMatchObject({ status: "open", noteCount: 1, analystEvidence: ["https://ops.example.com/incidents/INC-20250805-114"] });
    expect(final("MR-UK-002")).toMatchObject({
      status: "finalised",
      outcome: "false_positive",
      analystCauseCategory: "data_error",
      analystCauseLabel: "Till fault",
      causeCategory: "data_error",
      causeSource: "analyst",
      machineCauseCategory: "promotion",
      machineCauseLabel: "Unlisted in-store promotion",
    });
  });
});

describe("MR-UK-003 competitor stock-out: refreshed over three days, cause stable, confidence evolving", () => {
  it("day by day", () => {
    const days = ["2025-08-06T13:00:00.000Z", "2025-08-07T13:00:00.000Z", "2025-08-08T13:00:00.000Z"].map((t) => event("MR-UK-003", t)!);
    expect(days.map((e) => e.machineCauseLabel)).toEqual(["Competitor Stock-Out", "Competitor Stock-Out", "Competitor Stock-Out"]);
    expect(days.map((e) => e.confidence)).toEqual([0.77, 0.79, 0.81]);
    expect(days.map((e) => e.priorityRule)).toEqual(["consequential_cause", "consequential_cause", "consequential_cause"]);
    // Detection is recomputed daily: the totals grow, the report ids stay.
    expect(days[0]!.actualSum! < days[1]!.actualSum! && days[1]!.actualSum! < days[2]!.actualSum!).toBe(true);
    expect(days[0]!.reportIds).toEqual(days[2]!.reportIds);
    expect(days.map((e) => e.status)).toEqual(["open", "open", "open"]);
  });

  it("confirmed and approved as competitor-driven", () => {
    expect(event("MR-UK-003", "2025-08-08T14:00:00.000Z")).toMatchObject({ status: "decided", analystAction: "confirm" });
    expect(final("MR-UK-003")).toMatchObject({ status: "finalised", outcome: "approved", causeCategory: "competitor_stockout", confidence: 0.81, priority: "high", windowEnd: "2025-08-08T18:00:00.000Z" });
  });
});

describe("MR-UK-004 TV recipe feature: low confidence, unclustered, corrected by HITL", () => {
  it("TikTok alt at 0.28, unclustered, degraded once past the clustering SLO", () => {
    expect(event("MR-UK-004", "2025-08-07T21:30:00.000Z")).toMatchObject({ isDegraded: false });
    expect(event("MR-UK-004", "2025-08-07T23:00:00.000Z")).toMatchObject({
      machineCauseLabel: "TikTok Viral",
      confidence: 0.28,
      confidenceTier: "low",
      priority: "low",
      isDegraded: true,
      degradedReportCount: 8,
      displayStatus: "open:degraded",
    });
    expect(reportsOf("MR-UK-004", "2025-08-07T23:00:00.000Z").every((r) => !r.isClustered && r.overdueClustering && !r.overdueAttribution && r.displayStatus === "open:degraded")).toBe(true);
  });

  it("the analyst's TV clip and override; finalised with the correction beside the machine's guess", () => {
    expect(event("MR-UK-004", "2025-08-08T09:30:00.000Z")).toMatchObject({ status: "decided", analystAction: "override", reasonCode: "novel_cause", analystCauseLabel: "National TV recipe feature" });
    expect(final("MR-UK-004")).toMatchObject({ status: "finalised", outcome: "approved", causeLabel: "National TV recipe feature", machineCauseLabel: "TikTok Viral", displayStatus: "finalised:degraded" });
  });
});

describe("MR-UK-005 podcast: no cause proposed (< 0.3), recovered by HITL", () => {
  it("unknown with its low confidence is not degraded", () => {
    const e = event("MR-UK-005", "2025-08-08T12:00:00.000Z")!;
    expect(e).toMatchObject({ machineCauseCategory: "unknown", machineCauseLabel: "No cause proposed", confidence: 0.14, confidenceTier: "low", isDegraded: false, displayStatus: "open" });
    expect(reportsOf("MR-UK-005", CASE_STUDY_FINAL_AT).every((r) => r.attributionState === "proposed" && !r.isDegraded)).toBe(true);
  });

  it("approved with the human cause", () => {
    expect(event("MR-UK-005", "2025-08-08T13:30:00.000Z")).toMatchObject({ status: "decided", noteCount: 1, analystCauseLabel: "Podcast mention" });
    expect(final("MR-UK-005")).toMatchObject({ status: "finalised", outcome: "approved", causeCategory: "social_viral", causeLabel: "Podcast mention", causeSource: "analyst" });
  });
});

describe("MR-UK-006 Waterloo: travel disruption 0.74, finalised with minimal HITL", () => {
  it("one action: the lead finalises the machine's cause", () => {
    expect(event("MR-UK-006", "2025-08-07T10:00:00.000Z")).toMatchObject({ machineCauseCategory: "external_disruption", machineCauseLabel: "Travel Disruption", confidence: 0.74, confidenceTier: "high", priority: "medium", status: "open" });
    expect(final("MR-UK-006")).toMatchObject({ status: "finalised", outcome: "approved", analystAction: "finalise", decidedByRole: "lead", noteCount: 0, causeLabel: "Travel Disruption" });
    expect(data.entries.filter((e) => e.subjectId === eventId("MR-UK-006"))).toHaveLength(1);
  });
});

describe("MR-UK-007 Deliveroo: 0.92, auto-confirmed by weekend mode", () => {
  const arrived = "2025-08-09T12:30:00.000Z";
  const jobRan = "2025-08-09T12:35:00.000Z";

  it("open on arrival, then confirmed by the system naming rule and configuration version", () => {
    expect(event("MR-UK-007", arrived)).toMatchObject({ confidence: 0.92, machineCauseCategory: "promotion", machineCauseLabel: "Deliveroo Promo", priority: "high", priorityRule: "high_impact", status: "open", reportCount: 18, overflowStoreCount: 4 });
    expect(event("MR-UK-007", jobRan)).toMatchObject({
      status: "decided",
      autoConfirmed: true,
      decidedByType: "system",
      decidedById: "weekend_auto_confirm",
      decidedConfigVersion: "weekend-2025-08-09",
      causeLabel: "Deliveroo Promo",
    });
    expect(final("MR-UK-007")).toMatchObject({ status: "decided", autoConfirmed: true, outcome: null });
  });

  it("no confirmation is written by hand: the job's run writes it, under the version in force at arrival, not the newest", () => {
    expect(data.entries.filter((e) => e.actor.type === "system")).toEqual([]);
    expect(systemEntries).toHaveLength(1);
    expect(systemEntries[0]).toMatchObject({ subjectId: eventId("MR-UK-007"), effectiveAt: jobRan, actor: { configVersion: CASE_STUDY_WEEKEND_MODE.version } });
    expect(systemEntries[0]).toEqual(autoConfirmations(viewAsOf(data.rows, data.entries, jobRan).events, { ...CASE_STUDY_WEEKEND_MODE, effectiveFrom: CASE_STUDY_WEEKEND_MODE.effectiveFrom! }, jobRan)[0]);
    // The newest version (weekend mode off) would have refused it.
    expect(autoConfirmRefusal(event("MR-UK-007", arrived)!, CASE_STUDY_WEEKEND_MODE_OFF, jobRan)).toBe("weekend mode is off");
    // With the entry in the log, the job has nothing left to do.
    expect(weekendConfirmations(view(jobRan).events, versions, jobRan)).toEqual([]);
  });

  it("no other case would have been auto-confirmed by the demo's weekend configurations", () => {
    const instants = [...new Set([...CASE_STUDIES.flatMap((c) => c.moments.map((m) => m.at)), ...data.rows.attribution.map((r) => r.writtenAt), CASE_STUDY_FINAL_AT])];
    for (const t of instants) {
      const pending = Date.parse(t) >= Date.parse(arrived) && Date.parse(t) < Date.parse(jobRan);
      const out = weekendConfirmations(view(t).events, versions, t).map((e) => e.subjectId);
      expect(out, t).toEqual(pending ? [eventId("MR-UK-007")] : []);
    }
  });
});

describe("MR-UK-008 Instagram Reels: Facebook campaign spend 0.58 corrected by HITL", () => {
  it("initial misattribution, override, finalised", () => {
    expect(event("MR-UK-008", "2025-08-12T09:00:00.000Z")).toMatchObject({ machineCauseCategory: "marketing_misattribution", machineCauseLabel: "Facebook campaign spend", confidence: 0.58, confidenceTier: "medium", priority: "medium", status: "open" });
    expect(event("MR-UK-008", "2025-08-12T10:30:00.000Z")).toMatchObject({ status: "decided", analystAction: "override", analystCauseCategory: "social_viral", analystCauseLabel: "Instagram Reels viral", reasonCode: "model_misattribution" });
    expect(final("MR-UK-008")).toMatchObject({ status: "finalised", outcome: "approved", causeLabel: "Instagram Reels viral", machineCauseLabel: "Facebook campaign spend" });
  });
});
