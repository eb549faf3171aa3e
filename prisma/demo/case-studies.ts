/**
 * The eight case studies of seed 004 (MR-UK-001 … MR-UK-008, "demo, 12 August 2025") as
 * plain machine-log rows, edit-log entries and the weekend-mode configuration version, so
 * the demo seed can load them (prisma/demo-events.ts) and replay tells each story as the
 * seed does. Demo data, not core: it lives beside the seed and uses the core through its index.
 *
 * What comes from the seed: the report group ids, the store counts and cities (10 London,
 * 15 Waitrose South-East, 10 Birmingham, 8 UK cities, 7 UK cities, 4 around Waterloo,
 * UK-wide, Norwich), the causes, the confidences (0.55 → 0.72, < 0.3, ~0.81 over three
 * days, 0.28, < 0.3, 0.74, 0.92, 0.58) and who decided what.
 * What is INVENTED (plausible, deterministic): store ids, retailers (except Waitrose),
 * SKUs, every timestamp (fixed, in the week before 12 Aug 2025, UTC), every sales figure,
 * the secondary candidates, narratives and evidence URLs (example.com hosts), the store
 * counts the seed leaves open (UK-wide: 18 stores; Norwich: 5 stores), and the demo
 * analyst / lead ids (replace them with the seeded users' ids through the options).
 * Cause → category mapping (spec §1 leaves it to this script):
 *   Campaign Spend, Facebook campaign spend → marketing_misattribution (paid-media credit);
 *   TikTok Viral, National TV recipe feature, Podcast mention, Instagram Reels viral → social_viral
 *   (organic attention); Till fault → data_error; Competitor Stock-Out → competitor_stockout;
 *   Travel Disruption → external_disruption (the seed's "exogenous shock");
 *   Deliveroo Promo → promotion; "no cause proposed" → unknown.
 * Weekend mode: the seed says only "high-confidence, auto-approved" for the Deliveroo
 * campaign; here weekend mode is switched on for that weekend (configuration version
 * `weekend-2025-08-09`, in force from Friday 18:00, window Sat 00:00 – Mon 00:00 London
 * time) and off again on Monday (`weekend-2025-08-11`). The system confirmation is not
 * written here: the demo seed runs the weekend-mode job at its original time
 * (CASE_STUDY_WEEKEND_RUNS), and the version in force when MR-UK-007 arrived decides.
 * Reopen ("open loops"): MR-UK-004 is finalised, reopened by the lead when two cities turn
 * out to have lifted an hour later, decided again and finalised again — actions the demo
 * seed takes through the console's own action function (CaseStudyData.actions), at their
 * original times. The seed's own event ids (ME-a3df75279922,
 * ME-58d24bee24c6) cannot be derived from anything it states: ours come from eventId().
 */
import {
  eventId,
  HOUR_MS,
  instantMs,
  isoMs,
  MINUTE_MS,
  reportId,
  type AttributionRow,
  type Cause,
  type ClusteredRow,
  type CohortRow,
  type DetectedRow,
  type EndedRow,
  type HumanEntry,
  type MachineEvidence,
  type MachineRows,
  type WeekendModeConfig,
} from "@/lib/mrs";

/** Demo user ids (replace through CaseStudyOptions with the users the demo seed creates). */
const CASE_STUDY_ANALYST_ID = "5d0c2f4e-8a51-4b7e-9c3a-1f2e3d4c5b6a";
const CASE_STUDY_LEAD_ID = "7a9e1c3b-2d4f-4e6a-8b0c-9d1e2f3a4b5c";

/** After this instant every case study is in its final state. */
export const CASE_STUDY_FINAL_AT = "2025-08-12T18:00:00.000Z";

export interface CaseStudyOptions {
  readonly analystId?: string;
  readonly leadId?: string;
}

/** An edit-log entry as the demo seed appends it (sessionId null: no browser session). */
export type CaseStudyEntry = HumanEntry & { readonly sessionId: null };

/**
 * A person's action the demo seed takes through the console's action function (actOnEvent)
 * at `at`, as `by`: the input a form would send, without the version and request id the
 * seed adds.
 */
export interface CaseStudyAction {
  readonly at: string;
  readonly by: "analyst" | "lead";
  readonly input: {
    readonly eventId: string;
    readonly action: "confirm" | "override" | "finalise" | "reopen" | "note";
    readonly cause?: Cause;
    readonly outcome?: "approved" | "false_positive" | "dismissed";
    readonly reasonCode?: string;
    readonly reasonText?: string;
    readonly evidenceUrl?: string;
  };
}

export interface CaseStudyData {
  readonly rows: MachineRows;
  /** entries appended as they are (the case studies' history before the seed's own actions) */
  readonly entries: readonly CaseStudyEntry[];
  /** configuration versions, in the order stored, each with its effectiveFrom */
  readonly weekendModeConfigs: readonly WeekendModeConfig[];
  /** instants at which the seed runs the weekend-mode job (after `entries` and `actions`) */
  readonly weekendRuns: readonly string[];
  /** people's actions taken through actOnEvent after `entries`, in time order */
  readonly actions: readonly CaseStudyAction[];
}

export interface CaseStudy {
  readonly reportGroupId: string;
  readonly eventId: string;
  /** the id the seed prints, shown as a note only (not derivable) */
  readonly seedEventId: string | null;
  readonly title: string;
  readonly scope: string;
  readonly storeCount: number;
  readonly cities: readonly string[];
  readonly sku: string;
  readonly pattern: string;
  /** instants worth replaying, in order */
  readonly moments: readonly { readonly label: string; readonly at: string }[];
}

// ---------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------

interface Store {
  readonly storeId: string;
  readonly retailer: string;
  readonly city: string;
}

const store = (storeId: string, retailer: string, city: string): Store => ({ storeId, retailer, city });
const at = (iso: string, plusMs = 0) => isoMs(instantMs(iso)! + plusMs);
const cause = (category: Cause["category"], label: string): Cause => ({ category, label });

/** Invented sales: baseline grows by `step` per store; `lift` is actual / baseline − 1. */
function figures(i: number, base: number, step: number, lift: number) {
  const baseline = base + step * i;
  const actual = Math.round(baseline * (1 + lift));
  return { baseline, actual, uplift: actual - baseline };
}

interface Case {
  readonly group: string;
  readonly stores: readonly Store[];
  readonly sku: string;
  /** report i's window starts `stagger` after the first */
  readonly windowStart: (i: number) => string;
}

const reportIdsOf = (c: Case) => c.stores.map((s, i) => reportId(s.storeId, c.sku, c.windowStart(i)));

function detected(c: Case, writtenAt: string, sales: (i: number) => { baseline: number; actual: number; uplift: number }): DetectedRow[] {
  return c.stores.map((s, i) => ({
    reportId: reportId(s.storeId, c.sku, c.windowStart(i)),
    storeId: s.storeId,
    retailer: s.retailer,
    sku: c.sku,
    city: s.city,
    windowStart: c.windowStart(i),
    ...sales(i),
    writtenAt,
  }));
}

function clustered(c: Case, runId: string, clusterId: string | null, writtenAt: string): ClusteredRow[] {
  return reportIdsOf(c).map((id, i) => {
    const similarityFeatures: Record<string, number> = clusterId === null ? {} : { upliftShape: round2(0.9 - 0.01 * (i % 4)), geoDensity: round2(0.8 - 0.02 * (i % 3)) };
    return { reportId: id, clusterRunId: runId, clusterId, similarityFeatures, writtenAt };
  });
}

function cohort(c: Case, confidence: number, writtenAt: string): CohortRow[] {
  return reportIdsOf(c).map((id) => ({ reportId: id, reportGroupId: c.group, cohortSize: c.stores.length, cohortConfidence: confidence, writtenAt }));
}

interface Proposal {
  readonly runId: string;
  readonly writtenAt: string;
  readonly cause_1: Cause;
  /** the event's confidence: report i gets this minus 0.01 × (i mod 3), so the highest equals it */
  readonly confidence_1: number;
  readonly cause_2?: Cause;
  readonly confidence_2?: number;
  readonly narrative: string;
  readonly evidence: readonly MachineEvidence[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function attribution(c: Case, p: Proposal): AttributionRow[] {
  return reportIdsOf(c).map((id, i) => {
    const c1 = round2(p.confidence_1 - 0.01 * (i % 3));
    return {
      reportId: id,
      attributionRunId: p.runId,
      cause_1: p.cause_1,
      confidence_1: c1,
      cause_2: p.cause_2 ?? null,
      confidence_2: p.confidence_2 === undefined ? null : Math.min(p.confidence_2, c1),
      cause_3: null,
      confidence_3: null,
      narrative: p.narrative,
      evidence: [...p.evidence],
      writtenAt: p.writtenAt,
    };
  });
}

function ended(c: Case, windowEnd: (i: number) => string, writtenAt: string): EndedRow[] {
  return reportIdsOf(c).map((id, i) => ({ reportId: id, windowEnd: windowEnd(i), writtenAt }));
}

interface Actors {
  readonly analyst: HumanEntry["actor"];
  readonly lead: HumanEntry["actor"];
}

type EntryFields = Pick<HumanEntry, "action" | "after" | "reasonCode" | "reasonText" | "effectiveAt"> & { readonly evidence?: readonly string[]; readonly before?: unknown };

const onEvent = (group: string, actor: HumanEntry["actor"], f: EntryFields): CaseStudyEntry => ({
  subjectType: "event",
  subjectId: eventId(group),
  action: f.action,
  before: f.before ?? null,
  after: f.after,
  reasonCode: f.reasonCode,
  reasonText: f.reasonText,
  evidence: f.evidence ?? [],
  actor,
  effectiveAt: f.effectiveAt,
  sessionId: null,
});

// ---------------------------------------------------------------------------------------
// The eight cases
// ---------------------------------------------------------------------------------------

const LONDON: Case = {
  group: "MR-UK-001",
  sku: "JUPYTER-BAR-DUO",
  windowStart: (i) => at("2025-08-11T07:00:00.000Z", i * 20 * MINUTE_MS),
  stores: [
    store("LON-TSC-0142", "Tesco", "London"),
    store("LON-SBY-0307", "Sainsbury's", "London"),
    store("LON-WTR-0088", "Waitrose", "London"),
    store("LON-COP-0519", "Co-op", "London"),
    store("LON-TSC-0211", "Tesco", "London"),
    store("LON-MRS-0064", "M&S Simply Food", "London"),
    store("LON-SBY-0455", "Sainsbury's", "London"),
    store("LON-COP-0733", "Co-op", "London"),
    store("LON-TSC-0378", "Tesco", "London"),
    store("LON-WTR-0121", "Waitrose", "London"),
  ],
};

const WAITROSE_SE: Case = {
  group: "MR-UK-002",
  sku: "JUPYTER-BAR-45G",
  windowStart: () => "2025-08-05T08:00:00.000Z",
  stores: [
    ["SE-WTR-0301", "Guildford"],
    ["SE-WTR-0302", "Reading"],
    ["SE-WTR-0303", "Brighton"],
    ["SE-WTR-0304", "Crawley"],
    ["SE-WTR-0305", "Maidstone"],
    ["SE-WTR-0306", "Canterbury"],
    ["SE-WTR-0307", "Tunbridge Wells"],
    ["SE-WTR-0308", "Horsham"],
    ["SE-WTR-0309", "Chichester"],
    ["SE-WTR-0310", "Basingstoke"],
    ["SE-WTR-0311", "Woking"],
    ["SE-WTR-0312", "Sevenoaks"],
    ["SE-WTR-0313", "Winchester"],
    ["SE-WTR-0314", "Oxford"],
    ["SE-WTR-0315", "Milton Keynes"],
  ].map(([id, city]) => store(id!, "Waitrose", city!)),
};

const BIRMINGHAM: Case = {
  group: "MR-UK-003",
  sku: "JUPYTER-BAR-45G",
  windowStart: (i) => at("2025-08-06T06:00:00.000Z", (i % 2) * HOUR_MS),
  stores: [
    store("BHM-TSC-0410", "Tesco", "Birmingham"),
    store("BHM-SBY-0221", "Sainsbury's", "Birmingham"),
    store("BHM-ASD-0117", "Asda", "Birmingham"),
    store("BHM-COP-0645", "Co-op", "Birmingham"),
    store("BHM-MOR-0093", "Morrisons", "Birmingham"),
    store("BHM-TSC-0452", "Tesco", "Birmingham"),
    store("BHM-SBY-0266", "Sainsbury's", "Birmingham"),
    store("BHM-ASD-0139", "Asda", "Birmingham"),
    store("BHM-COP-0688", "Co-op", "Birmingham"),
    store("BHM-TSC-0497", "Tesco", "Birmingham"),
  ],
};

const TV_FEATURE: Case = {
  group: "MR-UK-004",
  sku: "JUPYTER-BAR-45G",
  windowStart: () => "2025-08-07T18:00:00.000Z",
  stores: [
    store("LON-SBY-0318", "Sainsbury's", "London"),
    store("MAN-TSC-0520", "Tesco", "Manchester"),
    store("BHM-ASD-0150", "Asda", "Birmingham"),
    store("LDS-MOR-0077", "Morrisons", "Leeds"),
    store("GLA-COP-0402", "Co-op", "Glasgow"),
    store("BRS-SBY-0231", "Sainsbury's", "Bristol"),
    store("LIV-TSC-0288", "Tesco", "Liverpool"),
    store("NCL-ASD-0164", "Asda", "Newcastle"),
  ],
};

const PODCAST: Case = {
  group: "MR-UK-005",
  sku: "JUPYTER-BAR-45G",
  windowStart: () => "2025-08-08T07:00:00.000Z",
  stores: [
    store("LON-TSC-0166", "Tesco", "London"),
    store("MAN-SBY-0244", "Sainsbury's", "Manchester"),
    store("LDS-TSC-0391", "Tesco", "Leeds"),
    store("SHF-MOR-0052", "Morrisons", "Sheffield"),
    store("NOT-COP-0417", "Co-op", "Nottingham"),
    store("CDF-TSC-0233", "Tesco", "Cardiff"),
    store("EDI-SBY-0108", "Sainsbury's", "Edinburgh"),
  ],
};

const WATERLOO: Case = {
  group: "MR-UK-006",
  sku: "JUPYTER-BAR-45G",
  windowStart: () => "2025-08-07T07:00:00.000Z",
  stores: [
    store("LON-WHS-0901", "WHSmith", "London (Waterloo)"),
    store("LON-MRS-0902", "M&S Simply Food", "London (Waterloo)"),
    store("LON-BTS-0903", "Boots", "London (Waterloo)"),
    store("LON-SBY-0904", "Sainsbury's Local", "London (Waterloo)"),
  ],
};

const DELIVEROO: Case = {
  group: "MR-UK-007",
  sku: "JUPYTER-BAR-45G",
  windowStart: (i) => at("2025-08-09T10:00:00.000Z", (i % 3) * 30 * MINUTE_MS),
  stores: [
    ["LON-COP-0801", "Co-op", "London"],
    ["LON-SBY-0802", "Sainsbury's", "London"],
    ["LON-WTR-0803", "Waitrose", "London"],
    ["MAN-COP-0804", "Co-op", "Manchester"],
    ["MAN-MOR-0805", "Morrisons", "Manchester"],
    ["BHM-COP-0806", "Co-op", "Birmingham"],
    ["BHM-SBY-0807", "Sainsbury's", "Birmingham"],
    ["LDS-MOR-0808", "Morrisons", "Leeds"],
    ["GLA-COP-0809", "Co-op", "Glasgow"],
    ["EDI-SBY-0810", "Sainsbury's", "Edinburgh"],
    ["BRS-COP-0811", "Co-op", "Bristol"],
    ["CDF-MOR-0812", "Morrisons", "Cardiff"],
    ["LIV-SBY-0813", "Sainsbury's", "Liverpool"],
    ["NCL-COP-0814", "Co-op", "Newcastle"],
    ["SHF-MOR-0815", "Morrisons", "Sheffield"],
    ["NOT-SBY-0816", "Sainsbury's", "Nottingham"],
    ["BFS-COP-0817", "Co-op", "Belfast"],
    ["SOU-WTR-0818", "Waitrose", "Southampton"],
  ].map(([id, retailer, city]) => store(id!, retailer!, city!)),
};

const NORWICH: Case = {
  group: "MR-UK-008",
  sku: "JUPYTER-BAR-45G",
  windowStart: () => "2025-08-12T06:00:00.000Z",
  stores: [
    store("NWI-TSC-0611", "Tesco", "Norwich"),
    store("NWI-SBY-0612", "Sainsbury's", "Norwich"),
    store("NWI-COP-0613", "Co-op", "Norwich"),
    store("NWI-ASD-0614", "Asda", "Norwich"),
    store("NWI-WTR-0615", "Waitrose", "Norwich"),
  ],
};

/** The weekend-mode configuration version the demo turns on for the Deliveroo weekend (Sat–Sun, London time), in force from Friday 18:00. */
export const CASE_STUDY_WEEKEND_MODE: WeekendModeConfig = Object.freeze({
  version: "weekend-2025-08-09",
  enabled: true,
  schedule: [{ start: "2025-08-08T23:00:00.000Z", end: "2025-08-10T23:00:00.000Z" }],
  confidenceAbove: 0.7,
  consequentialCategories: [],
  note: "Demo: weekend mode on for the weekend of the Deliveroo free-bar campaign (MR-UK-007).",
  effectiveFrom: "2025-08-08T17:00:00.000Z",
});

/** The newer version that switches weekend mode off on Monday morning: newest, yet it does not decide for MR-UK-007, which arrived before it. */
export const CASE_STUDY_WEEKEND_MODE_OFF: WeekendModeConfig = Object.freeze({
  version: "weekend-2025-08-11",
  enabled: false,
  schedule: [],
  confidenceAbove: 0.7,
  consequentialCategories: [],
  note: "Demo: weekend mode off again after the Deliveroo weekend.",
  effectiveFrom: "2025-08-11T06:00:00.000Z",
});

/** When the weekend-mode job ran and confirmed MR-UK-007. */
export const DELIVEROO_AUTO_CONFIRM_AT = "2025-08-09T12:35:00.000Z";

/** The eight case studies and the instants worth replaying. */
export const CASE_STUDIES: readonly CaseStudy[] = [
  {
    reportGroupId: "MR-UK-001",
    eventId: eventId("MR-UK-001"),
    seedEventId: "ME-a3df75279922",
    title: "TikTok Viral Challenge (\"Jupyter Challenge\")",
    scope: "10 London stores; SKU Jupyter Bar Duo",
    storeCount: 10,
    cities: ["London"],
    sku: LONDON.sku,
    pattern: "Initial misattribution → corrected by refresh + HITL",
    moments: [
      { label: "initial attribution: Campaign Spend 0.55", at: "2025-08-11T12:00:00.000Z" },
      { label: "refreshed: TikTok Viral 0.72", at: "2025-08-11T16:10:00.000Z" },
      { label: "analyst added the TikTok link and confirmed", at: "2025-08-11T17:00:00.000Z" },
      { label: "finalised, approved", at: "2025-08-12T10:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-002",
    eventId: eventId("MR-UK-002"),
    seedEventId: null,
    title: "False Positive — Till Fault",
    scope: "15 Waitrose SE stores",
    storeCount: 15,
    cities: [...new Set(WAITROSE_SE.stores.map((s) => s.city))],
    sku: WAITROSE_SE.sku,
    pattern: "Spurious spike correctly rejected",
    moments: [
      { label: "weak signal (confidence < 0.3)", at: "2025-08-05T12:00:00.000Z" },
      { label: "ops email logged", at: "2025-08-05T14:00:00.000Z" },
      { label: "closed as Data Error false positive", at: "2025-08-05T15:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-003",
    eventId: eventId("MR-UK-003"),
    seedEventId: null,
    title: "Competitor Stock-out",
    scope: "10 Birmingham stores",
    storeCount: 10,
    cities: ["Birmingham"],
    sku: BIRMINGHAM.sku,
    pattern: "Sustained lift from competitor absence",
    moments: [
      { label: "day 1: Competitor Stock-Out 0.77", at: "2025-08-06T13:00:00.000Z" },
      { label: "day 2: 0.79", at: "2025-08-07T13:00:00.000Z" },
      { label: "day 3: 0.81, confirmed", at: "2025-08-08T14:00:00.000Z" },
      { label: "approved", at: "2025-08-08T20:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-004",
    eventId: eventId("MR-UK-004"),
    seedEventId: null,
    title: "National TV Recipe Feature",
    scope: "8 UK cities",
    storeCount: 8,
    cities: TV_FEATURE.stores.map((s) => s.city),
    sku: TV_FEATURE.sku,
    pattern: "Novel cause not recognised by model; surfaced via HITL",
    moments: [
      { label: "low confidence, unclustered (TikTok alt at 0.28)", at: "2025-08-07T23:00:00.000Z" },
      { label: "analyst added the TV clip and overrode", at: "2025-08-08T09:30:00.000Z" },
      { label: "finalised with the HITL correction", at: "2025-08-08T11:00:00.000Z" },
      { label: "reopened: two cities lifted an hour later", at: "2025-08-08T14:00:00.000Z" },
      { label: "decided again: the same cause, a later regional airing", at: "2025-08-08T15:00:00.000Z" },
      { label: "finalised again", at: "2025-08-08T16:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-005",
    eventId: eventId("MR-UK-005"),
    seedEventId: null,
    title: "Major Podcast Mention",
    scope: "7 UK cities",
    storeCount: 7,
    cities: PODCAST.stores.map((s) => s.city),
    sku: PODCAST.sku,
    pattern: "System miss, recovered by HITL",
    moments: [
      { label: "no cause proposed (confidence < 0.3)", at: "2025-08-08T12:00:00.000Z" },
      { label: "analyst logged the podcast transcript snippet", at: "2025-08-08T13:30:00.000Z" },
      { label: "approved with the human cause", at: "2025-08-08T16:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-006",
    eventId: eventId("MR-UK-006"),
    seedEventId: null,
    title: "London Waterloo — Train Disruption",
    scope: "4 commuter stores around Waterloo",
    storeCount: 4,
    cities: ["London (Waterloo)"],
    sku: WATERLOO.sku,
    pattern: "Operational exogenous shock",
    moments: [
      { label: "Travel Disruption 0.74 with the transport alert", at: "2025-08-07T10:00:00.000Z" },
      { label: "finalised with minimal HITL input", at: "2025-08-07T12:00:00.000Z" },
    ],
  },
  {
    reportGroupId: "MR-UK-007",
    eventId: eventId("MR-UK-007"),
    seedEventId: "ME-58d24bee24c6",
    title: "Deliveroo Free Bar Campaign",
    scope: "UK-wide (18 stores in this demo)",
    storeCount: 18,
    cities: [...new Set(DELIVEROO.stores.map((s) => s.city))],
    sku: DELIVEROO.sku,
    pattern: "Strong system alignment with external metadata",
    moments: [
      { label: "Deliveroo Promo 0.92, campaign log matched", at: "2025-08-09T12:30:00.000Z" },
      { label: "auto-confirmed by weekend mode", at: DELIVEROO_AUTO_CONFIRM_AT },
    ],
  },
  {
    reportGroupId: "MR-UK-008",
    eventId: eventId("MR-UK-008"),
    seedEventId: null,
    title: "Instagram Reels Spike",
    scope: "Norwich stores (5 in this demo)",
    storeCount: 5,
    cities: ["Norwich"],
    sku: NORWICH.sku,
    pattern: "Misattribution corrected by HITL",
    moments: [
      { label: "initial: Facebook campaign spend 0.58", at: "2025-08-12T09:00:00.000Z" },
      { label: "analyst corrected to Reels viral", at: "2025-08-12T10:30:00.000Z" },
      { label: "finalised after correction", at: "2025-08-12T12:00:00.000Z" },
    ],
  },
];

// ---------------------------------------------------------------------------------------
// Rows and entries
// ---------------------------------------------------------------------------------------

function tiktokCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = LONDON;
  const campaign = cause("marketing_misattribution", "Campaign Spend");
  const tiktok = cause("social_viral", "TikTok Viral");
  return {
    detected: detected(c, "2025-08-11T10:00:00.000Z", (i) => figures(i, 1450, 20, 0.4)),
    clustered: clustered(c, "cluster-2025-08-11T10", "CL-LON-JUPYTER-DUO", "2025-08-11T10:10:00.000Z"),
    cohort: cohort(c, 0.88, "2025-08-11T10:20:00.000Z"),
    attribution: [
      ...attribution(c, {
        runId: "attr-2025-08-11T10",
        writtenAt: "2025-08-11T10:40:00.000Z",
        cause_1: campaign,
        confidence_1: 0.55,
        cause_2: tiktok,
        confidence_2: 0.31,
        narrative: "Lift coincides with the Jupyter Bar Duo paid-social flight in London; spend credited.",
        evidence: [{ kind: "link", url: "https://marketing.example.com/campaigns/jupyter-duo-summer", title: "Campaign flight calendar" }],
      }),
      ...attribution(c, {
        runId: "attr-2025-08-11T16",
        writtenAt: "2025-08-11T16:00:00.000Z",
        cause_1: tiktok,
        confidence_1: 0.72,
        cause_2: campaign,
        confidence_2: 0.2,
        narrative: "Social listening picked up #JupyterChallenge trending in London hours before the lift; campaign spend was flat.",
        evidence: [{ kind: "snippet", text: "#JupyterChallenge — 1.2M views in 6 h, 38 % geotagged London", source: "social listening" }],
      }),
    ],
    ended: ended(c, (i) => at("2025-08-12T07:00:00.000Z", i * 20 * MINUTE_MS), "2025-08-12T09:00:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "note",
        after: null,
        reasonCode: "new_evidence",
        reasonText: "The Jupyter Challenge video driving the spike.",
        evidence: ["https://www.tiktok.example.com/tag/jupyterchallenge"],
        effectiveAt: "2025-08-11T16:30:00.000Z",
      }),
      onEvent(c.group, a.analyst, {
        action: "confirm",
        before: { status: "open", cause: null },
        after: { status: "decided", cause: tiktok, confidence: 0.72 },
        reasonCode: "evidence_corroborates",
        reasonText: "Hashtag volume and the TikTok video match the timing; campaign spend flat.",
        effectiveAt: "2025-08-11T16:45:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "decided" },
        after: { status: "finalised", outcome: "approved", cause: tiktok },
        reasonCode: "evidence_corroborates",
        reasonText: "Approved: viral, not campaign. Campaign credit excluded from MAB for the window.",
        effectiveAt: "2025-08-12T10:00:00.000Z",
      }),
    ],
  };
}

function tillFaultCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = WAITROSE_SE;
  return {
    detected: detected(c, "2025-08-05T10:00:00.000Z", (i) => figures(i, 620, 15, 1.5)),
    clustered: clustered(c, "cluster-2025-08-05T10", "CL-SE-WAITROSE-45G", "2025-08-05T10:10:00.000Z"),
    cohort: cohort(c, 0.93, "2025-08-05T10:20:00.000Z"),
    attribution: attribution(c, {
      runId: "attr-2025-08-05T11",
      writtenAt: "2025-08-05T11:00:00.000Z",
      cause_1: cause("promotion", "Unlisted in-store promotion"),
      confidence_1: 0.24,
      cause_2: cause("data_error", "Possible feed duplication"),
      confidence_2: 0.19,
      narrative: "Sharp, simultaneous spike in one retailer's South-East stores; no campaign or promotion on file.",
      evidence: [],
    }),
    ended: ended(c, () => "2025-08-05T12:00:00.000Z", "2025-08-05T12:30:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "note",
        after: null,
        reasonCode: "data_issue",
        reasonText: "Ops email: till software fault at SE Waitrose stores double-posted transactions 08:00–12:00.",
        evidence: ["https://ops.example.com/incidents/INC-20250805-114"],
        effectiveAt: "2025-08-05T14:00:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "open" },
        after: { status: "finalised", outcome: "false_positive", cause: cause("data_error", "Till fault") },
        reasonCode: "data_issue",
        reasonText: "False positive: till fault confirmed by ops; window excluded, baselines backfilled.",
        effectiveAt: "2025-08-05T15:00:00.000Z",
      }),
    ],
  };
}

function competitorCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = BIRMINGHAM;
  const stockout = cause("competitor_stockout", "Competitor Stock-Out");
  const shelfFeed = (day: number): MachineEvidence[] => [
    { kind: "link", url: `https://intel.example.com/competitor-availability/birmingham/2025-08-0${5 + day}`, title: `Competitor shelf availability, day ${day}` },
  ];
  const days = [
    { day: 1, at: "2025-08-06T12:00:00.000Z", confidence: 0.77, sales: (i: number) => figures(i, 900, 25, 0.38) },
    { day: 2, at: "2025-08-07T12:00:00.000Z", confidence: 0.79, sales: (i: number) => figures(i, 1800, 50, 0.42) },
    { day: 3, at: "2025-08-08T12:00:00.000Z", confidence: 0.81, sales: (i: number) => figures(i, 2700, 75, 0.45) },
  ];
  return {
    // Detection is recomputed each day with the same reportId (a new version of each row).
    detected: days.flatMap((d) => detected(c, d.at, d.sales)),
    clustered: clustered(c, "cluster-2025-08-06T12", "CL-BHM-45G", at(days[0]!.at, 10 * MINUTE_MS)),
    cohort: cohort(c, 0.9, at(days[0]!.at, 15 * MINUTE_MS)),
    attribution: days.flatMap((d) =>
      attribution(c, {
        runId: `attr-2025-08-0${5 + d.day}T12`,
        writtenAt: at(d.at, 30 * MINUTE_MS),
        cause_1: stockout,
        confidence_1: d.confidence,
        cause_2: cause("promotion", "Local promotion"),
        confidence_2: 0.08,
        narrative: `Day ${d.day}: a competing bar is off shelf in Birmingham; our lift tracks its absence store by store.`,
        evidence: shelfFeed(d.day),
      }),
    ),
    ended: ended(c, () => "2025-08-08T18:00:00.000Z", "2025-08-08T19:00:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "confirm",
        before: { status: "open", cause: null },
        after: { status: "decided", cause: stockout, confidence: 0.81 },
        reasonCode: "evidence_corroborates",
        reasonText: "Commercial team confirms the competitor's Birmingham depot outage; stable over three days.",
        evidence: ["https://intel.example.com/notes/competitor-depot-outage"],
        effectiveAt: "2025-08-08T14:00:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "decided" },
        after: { status: "finalised", outcome: "approved", cause: stockout },
        reasonCode: "evidence_corroborates",
        reasonText: "Approved as competitor-driven; attribution model and spend shielded for the window.",
        effectiveAt: "2025-08-08T20:00:00.000Z",
      }),
    ],
  };
}

function tvCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = TV_FEATURE;
  const tv = cause("social_viral", "National TV recipe feature");
  return {
    detected: detected(c, "2025-08-07T21:00:00.000Z", (i) => figures(i, 800, 30, 0.55)),
    // The clustering stage found no cluster for these reports (its failure output): unclustered.
    clustered: clustered(c, "cluster-2025-08-07T21", null, "2025-08-07T21:10:00.000Z"),
    cohort: cohort(c, 0.61, "2025-08-07T21:20:00.000Z"),
    attribution: attribution(c, {
      runId: "attr-2025-08-07T22",
      writtenAt: "2025-08-07T22:00:00.000Z",
      cause_1: cause("social_viral", "TikTok Viral"),
      confidence_1: 0.28,
      cause_2: cause("promotion", "Unlisted promotion"),
      confidence_2: 0.11,
      narrative: "Evening lift across eight cities at once; no campaign on file; weak TikTok signal.",
      evidence: [],
    }),
    ended: ended(c, () => "2025-08-08T06:00:00.000Z", "2025-08-08T07:00:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "note",
        after: null,
        reasonCode: "new_evidence",
        reasonText: "Prime-time cookery show featured a Jupyter Bar recipe at 18:40.",
        evidence: ["https://tv.example.com/clips/recipe-feature-2025-08-07"],
        effectiveAt: "2025-08-08T09:00:00.000Z",
      }),
      onEvent(c.group, a.analyst, {
        action: "override",
        before: { status: "open", cause: null },
        after: { status: "decided", cause: tv },
        reasonCode: "novel_cause",
        reasonText: "National TV recipe feature: a cause the model does not know; TikTok signal was incidental.",
        evidence: ["https://tv.example.com/clips/recipe-feature-2025-08-07"],
        effectiveAt: "2025-08-08T09:15:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "decided" },
        after: { status: "finalised", outcome: "approved", cause: tv },
        reasonCode: "novel_cause",
        reasonText: "Finalised with the HITL correction; TV features flagged for the taxonomy review.",
        effectiveAt: "2025-08-08T11:00:00.000Z",
      }),
    ],
  };
}

function podcastCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = PODCAST;
  const podcast = cause("social_viral", "Podcast mention");
  return {
    detected: detected(c, "2025-08-08T10:00:00.000Z", (i) => figures(i, 700, 40, 0.35)),
    clustered: clustered(c, "cluster-2025-08-08T10", "CL-UK-45G-0808", "2025-08-08T10:10:00.000Z"),
    cohort: cohort(c, 0.72, "2025-08-08T10:15:00.000Z"),
    // Attribution ran and proposed nothing confident: unknown with its low confidence (not degraded).
    attribution: attribution(c, {
      runId: "attr-2025-08-08T10",
      writtenAt: "2025-08-08T10:45:00.000Z",
      cause_1: cause("unknown", "No cause proposed"),
      confidence_1: 0.14,
      narrative: "Lift in seven cities; no campaign, promotion, competitor or social signal above threshold.",
      evidence: [],
    }),
    ended: ended(c, () => "2025-08-08T20:00:00.000Z", "2025-08-08T21:00:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "note",
        after: null,
        reasonCode: "new_evidence",
        reasonText: "Podcast transcript, ep. 212 (7 Aug): \"…honestly, we've been living on Jupyter bars all week…\"",
        evidence: ["https://podcasts.example.com/episodes/212#t=31m05s"],
        effectiveAt: "2025-08-08T13:00:00.000Z",
      }),
      onEvent(c.group, a.analyst, {
        action: "override",
        before: { status: "open", cause: null },
        after: { status: "decided", cause: podcast },
        reasonCode: "new_evidence",
        reasonText: "Major podcast mention the day before the lift; the model has no podcast feed.",
        effectiveAt: "2025-08-08T13:10:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "decided" },
        after: { status: "finalised", outcome: "approved", cause: podcast },
        reasonCode: "new_evidence",
        reasonText: "Approved with the human cause.",
        effectiveAt: "2025-08-08T16:00:00.000Z",
      }),
    ],
  };
}

function waterlooCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = WATERLOO;
  const travel = cause("external_disruption", "Travel Disruption");
  return {
    detected: detected(c, "2025-08-07T08:30:00.000Z", (i) => figures(i, 600, 35, 0.42)),
    clustered: clustered(c, "cluster-2025-08-07T08", "CL-LON-WATERLOO", "2025-08-07T08:40:00.000Z"),
    cohort: cohort(c, 0.95, "2025-08-07T08:45:00.000Z"),
    attribution: attribution(c, {
      runId: "attr-2025-08-07T09",
      writtenAt: "2025-08-07T09:15:00.000Z",
      cause_1: travel,
      confidence_1: 0.74,
      cause_2: cause("social_viral", "Local social post"),
      confidence_2: 0.06,
      narrative: "Commuters held at Waterloo during signalling failure; station stores' snack sales up.",
      evidence: [{ kind: "link", url: "https://api.transport.example.com/alerts/SWR-2025-08-07-0712", title: "Transport API delay alert: London Waterloo" }],
    }),
    ended: ended(c, () => "2025-08-07T11:00:00.000Z", "2025-08-07T11:30:00.000Z"),
    entries: [
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "open" },
        after: { status: "finalised", outcome: "approved", cause: travel },
        reasonCode: "evidence_corroborates",
        reasonText: "Transport alert matches; one-off disruption excluded from baselines.",
        effectiveAt: "2025-08-07T12:00:00.000Z",
      }),
    ],
  };
}

function deliverooCase(): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = DELIVEROO;
  const promo = cause("promotion", "Deliveroo Promo");
  return {
    detected: detected(c, "2025-08-09T12:00:00.000Z", (i) => figures(i, 1100, 30, 0.85)),
    clustered: clustered(c, "cluster-2025-08-09T12", "CL-UK-DELIVERY-45G", "2025-08-09T12:10:00.000Z"),
    cohort: cohort(c, 0.97, "2025-08-09T12:15:00.000Z"),
    attribution: attribution(c, {
      runId: "attr-2025-08-09T12",
      writtenAt: "2025-08-09T12:30:00.000Z",
      cause_1: promo,
      confidence_1: 0.92,
      cause_2: cause("social_viral", "Social sharing of the offer"),
      confidence_2: 0.05,
      narrative: "Delivery-channel lift in every partner store; matches the Deliveroo free-bar campaign log.",
      evidence: [
        { kind: "link", url: "https://partners.deliveroo.example.com/campaigns/free-bar-aug25", title: "Deliveroo campaign log" },
        { kind: "snippet", text: "Free Jupyter Bar with orders over £15, Sat 9 – Sun 10 Aug", source: "campaign log" },
      ],
    }),
    ended: ended(c, () => "2025-08-10T22:00:00.000Z", "2025-08-10T23:30:00.000Z"),
    // No entry: the weekend-mode job confirms it when the seed runs it at DELIVEROO_AUTO_CONFIRM_AT.
    entries: [],
  };
}

function reelsCase(a: Actors): Partial<MachineRows> & { entries: CaseStudyEntry[] } {
  const c = NORWICH;
  const reels = cause("social_viral", "Instagram Reels viral");
  return {
    detected: detected(c, "2025-08-12T08:00:00.000Z", (i) => figures(i, 700, 20, 0.44)),
    clustered: clustered(c, "cluster-2025-08-12T08", "CL-NWI-45G", "2025-08-12T08:10:00.000Z"),
    cohort: cohort(c, 0.86, "2025-08-12T08:15:00.000Z"),
    attribution: attribution(c, {
      runId: "attr-2025-08-12T08",
      writtenAt: "2025-08-12T08:45:00.000Z",
      cause_1: cause("marketing_misattribution", "Facebook campaign spend"),
      confidence_1: 0.58,
      cause_2: reels,
      confidence_2: 0.33,
      narrative: "Lift overlaps the Norwich Facebook geo-campaign; spend credited.",
      evidence: [{ kind: "link", url: "https://marketing.example.com/campaigns/facebook-norwich-aug", title: "Facebook geo-campaign" }],
    }),
    ended: ended(c, () => "2025-08-12T11:00:00.000Z", "2025-08-12T11:30:00.000Z"),
    entries: [
      onEvent(c.group, a.analyst, {
        action: "override",
        before: { status: "open", cause: null },
        after: { status: "decided", cause: reels },
        reasonCode: "model_misattribution",
        reasonText: "A local creator's Reel went viral the evening before; Facebook spend was unchanged.",
        evidence: ["https://instagram.example.com/reel/jupyter-norwich"],
        effectiveAt: "2025-08-12T10:30:00.000Z",
      }),
      onEvent(c.group, a.lead, {
        action: "finalise",
        before: { status: "decided" },
        after: { status: "finalised", outcome: "approved", cause: reels },
        reasonCode: "model_misattribution",
        reasonText: "Finalised after correction; campaign credit withheld.",
        effectiveAt: "2025-08-12T12:00:00.000Z",
      }),
    ],
  };
}

/**
 * Every case study's machine rows and edit-log entries (fixed timestamps, see the top of
 * this file), plus the weekend-mode configuration version. Pure data: the same options
 * give the same rows.
 */
export function caseStudyData(options: CaseStudyOptions = {}): CaseStudyData {
  const actors: Actors = {
    analyst: { type: "user", id: options.analystId ?? CASE_STUDY_ANALYST_ID, role: "analyst" },
    lead: { type: "user", id: options.leadId ?? CASE_STUDY_LEAD_ID, role: "lead" },
  };
  const parts = [tiktokCase(actors), tillFaultCase(actors), competitorCase(actors), tvCase(actors), podcastCase(actors), waterlooCase(actors), deliverooCase(), reelsCase(actors)];
  return {
    rows: {
      detected: parts.flatMap((p) => p.detected ?? []),
      clustered: parts.flatMap((p) => p.clustered ?? []),
      attribution: parts.flatMap((p) => p.attribution ?? []),
      ended: parts.flatMap((p) => p.ended ?? []),
      cohort: parts.flatMap((p) => p.cohort ?? []),
    },
    entries: parts.flatMap((p) => p.entries),
    weekendModeConfigs: [CASE_STUDY_WEEKEND_MODE, CASE_STUDY_WEEKEND_MODE_OFF],
    weekendRuns: [DELIVEROO_AUTO_CONFIRM_AT],
    actions: tvReopened(),
  };
}

/**
 * MR-UK-004 after its first finalisation: the lead reopens it (Glasgow and Newcastle lifted
 * an hour after the other cities), the analyst decides it again — the same cause, a later
 * regional airing — and the lead finalises it again.
 */
function tvReopened(): CaseStudyAction[] {
  const id = eventId(TV_FEATURE.group);
  const tv = cause("social_viral", "National TV recipe feature");
  return [
    {
      at: "2025-08-08T14:00:00.000Z",
      by: "lead",
      input: { eventId: id, action: "reopen", reasonCode: "new_evidence", reasonText: "Glasgow and Newcastle lifted an hour after the other six cities: checking for a second, local cause before the window is shielded." },
    },
    {
      at: "2025-08-08T15:00:00.000Z",
      by: "analyst",
      input: {
        eventId: id,
        action: "override",
        cause: tv,
        reasonCode: "evidence_corroborates",
        reasonText: "The Scottish and North-East regional schedules aired the feature at 19:40, an hour later: the same cause, no second one.",
        evidenceUrl: "https://tv.example.com/schedules/regional-2025-08-07",
      },
    },
    {
      at: "2025-08-08T16:00:00.000Z",
      by: "lead",
      input: { eventId: id, action: "finalise", outcome: "approved", cause: tv, reasonCode: "novel_cause", reasonText: "Finalised again with the same cause; both airings on file." },
    },
  ];
}
