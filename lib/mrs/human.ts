/**
 * The human side of minority events (spec §7). It is not a table of its own: every
 * confirm, override, finalise, reopen and note is an edit-log entry (lib/ledger/entry.ts)
 * on an `event` or a `report`, and so is a weekend-mode confirmation by the system.
 * This module holds the narrow shape the core reads, the schema a new action must pass
 * before it is written, and the projection of a subject's entries into its decision state.
 */
import * as z from "zod";
import { canonicalJson } from "@/lib/ledger/chain";
import { entryActorSchema } from "@/lib/ledger/entry";
import { EVENT_ID_PATTERN, REPORT_ID_PATTERN } from "./ids";
import { causeSchema } from "./logs";
import {
  EVENT_REASON_CODES,
  FINALISATION_OUTCOMES,
  type Cause,
  type EventStatus,
  type FinalisationOutcome,
  type HumanAction,
} from "./taxonomy";
import { INSTANT_RULE, instantMs, isoMs } from "./time";

const HUMAN_SUBJECT_TYPES = ["event", "report"] as const;
export type HumanSubjectType = (typeof HUMAN_SUBJECT_TYPES)[number];

export type EntryActor = z.infer<typeof entryActorSchema>;

/** What the core reads of an entry's `after` (the rest of the JSON is ignored). */
export interface HumanEntryAfter {
  readonly status?: EventStatus;
  readonly cause?: Cause | null;
  readonly outcome?: FinalisationOutcome | null;
  /** the machine confidence shown when confirming (informational) */
  readonly confidence?: number | null;
}

/** An edit-log entry on an event or a report, as the core reads it (extra ledger fields are ignored). */
export interface HumanEntry {
  readonly subjectType: HumanSubjectType;
  readonly subjectId: string;
  readonly action: HumanAction;
  readonly before?: unknown;
  readonly after: HumanEntryAfter | null;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly evidence: readonly string[];
  readonly actor: EntryActor;
  /** when the action happened in the subject's timeline; replay counts entries by it */
  readonly effectiveAt: string;
  /** the ledger's sequence number, when known: orders entries with the same effectiveAt */
  readonly seq?: number | string | bigint;
}

// ---------------------------------------------------------------------------------------
// Schema of a new action (the data layer checks permission and version, then writes it)
// ---------------------------------------------------------------------------------------

const TEXT_MAX = 2000;
const instant = (field: string) =>
  z.string({ error: `${field} must be ${INSTANT_RULE}` }).refine((s) => instantMs(s) !== null, { error: `${field} must be ${INSTANT_RULE}` });

const common = {
  subjectType: z.enum(HUMAN_SUBJECT_TYPES, { error: "subjectType must be event or report" }),
  subjectId: z.string({ error: "subjectId must be text" }).min(1, { error: "subjectId must not be empty" }),
  before: z.json({ error: "before must be JSON (the state the actor saw) or null" }).nullable(),
  reasonCode: z.enum(EVENT_REASON_CODES, { error: `reasonCode must be one of ${EVENT_REASON_CODES.join(", ")}` }).nullable(),
  reasonText: z.string({ error: "reasonText must be text" }).trim().max(TEXT_MAX, { error: `reasonText must be at most ${TEXT_MAX} characters` }).nullable(),
  evidence: z.array(z.url({ error: "evidence must hold URLs" }), { error: "evidence must be a list of URLs" }).max(10, { error: "evidence must have at most 10 links" }),
  actor: entryActorSchema,
  effectiveAt: instant("effectiveAt"),
};

const decided = z.literal("decided", { error: "after.status must be decided" });

/**
 * A human (or system) action on an event or report. Extra ledger fields (sessionId,
 * requestId, seq) pass through. Overrides need a reason code and a text; finalising needs
 * a reason code; reopening needs a text.
 */
export const humanEntrySchema = z
  .discriminatedUnion(
    "action",
    [
      z.looseObject({ ...common, action: z.literal("confirm"), after: z.strictObject({ status: decided, cause: causeSchema("after.cause"), confidence: z.number().min(0).max(1).nullable().optional() }) }),
      z.looseObject({ ...common, action: z.literal("override"), after: z.strictObject({ status: decided, cause: causeSchema("after.cause") }) }),
      z.looseObject({
        ...common,
        action: z.literal("finalise"),
        after: z.strictObject({
          status: z.literal("finalised", { error: "after.status must be finalised" }),
          outcome: z.enum(FINALISATION_OUTCOMES, { error: `after.outcome must be one of ${FINALISATION_OUTCOMES.join(", ")}` }),
          cause: causeSchema("after.cause").nullable(),
        }),
      }),
      z.looseObject({ ...common, action: z.literal("reopen"), after: z.strictObject({ status: z.literal("open", { error: "after.status must be open" }) }) }),
      z.looseObject({ ...common, action: z.literal("note"), after: z.null({ error: "after must be null for a note" }) }),
    ],
    { error: "action must be one of confirm, override, finalise, reopen, note" },
  )
  .superRefine((entry, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const pattern = entry.subjectType === "event" ? EVENT_ID_PATTERN : REPORT_ID_PATTERN;
    if (!pattern.test(entry.subjectId)) issue("subjectId", entry.subjectType === "event" ? "subjectId must be an event id (ME- + 12 hex digits)" : "subjectId must be a report id (MR- + 16 hex digits)");
    if (entry.action === "override") {
      if (!entry.reasonCode) issue("reasonCode", "reasonCode is required for an override");
      if (!entry.reasonText) issue("reasonText", "reasonText is required for an override: say why");
    }
    if (entry.action === "finalise" && !entry.reasonCode) issue("reasonCode", "reasonCode is required to finalise");
    if (entry.action === "reopen" && !entry.reasonText) issue("reasonText", "reasonText is required to reopen: say why");
    if (entry.action === "note" && !entry.reasonText && entry.evidence.length === 0) issue("reasonText", "a note needs reasonText or evidence");
  });

/**
 * Whether `action` may be taken on a subject in `status` (the data layer asks before
 * writing; the projection itself applies whatever the ledger holds). Null when allowed.
 */
export function transitionError(status: EventStatus, action: HumanAction): string | null {
  if ((action === "confirm" || action === "override") && status === "finalised") return `a finalised subject must be reopened before it can be ${action === "confirm" ? "confirmed" : "overridden"}`;
  if (action === "finalise" && status === "finalised") return "the subject is already finalised";
  if (action === "reopen" && status === "open") return "the subject is already open";
  return null;
}

// ---------------------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------------------

/** A subject's human state after its entries, in effectiveAt order. */
export interface DecisionState {
  readonly status: EventStatus;
  readonly outcome: FinalisationOutcome | null;
  /** the decided cause (confirmed, overridden or finalised with); null while open */
  readonly cause: Cause | null;
  /** the last status-changing action (not notes) */
  readonly lastAction: Exclude<HumanAction, "note"> | null;
  readonly decidedAt: string | null;
  readonly decidedBy: EntryActor | null;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  /** the current decision was written by a system actor (weekend mode) */
  readonly autoConfirmed: boolean;
  /** anything was ever confirmed, overridden or finalised (even if reopened since) */
  readonly hasDecision: boolean;
  /** every evidence link of every entry, first appearance first */
  readonly evidence: readonly string[];
  readonly noteCount: number;
  readonly entryCount: number;
  /** greatest effectiveAt among the entries (ISO, ms, UTC) */
  readonly lastEffectiveAt: string | null;
}

const OPEN_DECISION_STATE: DecisionState = Object.freeze({
  status: "open",
  outcome: null,
  cause: null,
  lastAction: null,
  decidedAt: null,
  decidedBy: null,
  reasonCode: null,
  reasonText: null,
  autoConfirmed: false,
  hasDecision: false,
  evidence: [],
  noteCount: 0,
  entryCount: 0,
  lastEffectiveAt: null,
});

function seqOf(e: HumanEntry): bigint | null {
  if (e.seq === undefined || e.seq === null) return null;
  try {
    return BigInt(e.seq);
  } catch {
    return null;
  }
}

/** Timeline order: effectiveAt, then ledger seq, then content — the same for any input order. */
export function compareEntries(a: HumanEntry, b: HumanEntry): number {
  const ta = instantMs(a.effectiveAt) ?? Number.NaN;
  const tb = instantMs(b.effectiveAt) ?? Number.NaN;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const sa = seqOf(a);
  const sb = seqOf(b);
  if (sa !== null && sb !== null && sa !== sb) return sa < sb ? -1 : 1;
  const ca = entryContentKey(a);
  const cb = entryContentKey(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

function entryContentKey(e: HumanEntry): string {
  const { subjectType, subjectId, action, after, reasonCode, reasonText, evidence, actor, effectiveAt } = e;
  return canonicalJson({ subjectType, subjectId, action, after: after ?? null, reasonCode, reasonText, evidence: [...evidence], actor, effectiveAt });
}

/**
 * Folds a subject's entries (already selected for it) into its decision state. Entries
 * with an unparsable effectiveAt are ignored, not guessed. A reopen clears the decided
 * cause and outcome: the history stays in the entries, the view is open again.
 */
export function projectDecision(entries: readonly HumanEntry[]): DecisionState {
  const ordered = entries.filter((e) => instantMs(e.effectiveAt) !== null).sort(compareEntries);
  let state: DecisionState = OPEN_DECISION_STATE;
  const evidence: string[] = [];
  let noteCount = 0;
  let lastMs: number | null = null;
  for (const e of ordered) {
    for (const link of e.evidence) if (!evidence.includes(link)) evidence.push(link);
    lastMs = instantMs(e.effectiveAt);
    if (e.action === "note") {
      noteCount += 1;
      continue;
    }
    const at = isoMs(instantMs(e.effectiveAt)!);
    const who = { decidedAt: at, decidedBy: e.actor, reasonCode: e.reasonCode, reasonText: e.reasonText, lastAction: e.action };
    const cause = e.after?.cause ?? null;
    switch (e.action) {
      case "confirm":
      case "override":
        state = { ...state, ...who, status: "decided", outcome: null, cause, autoConfirmed: e.actor.type === "system", hasDecision: true };
        break;
      case "finalise":
        // Finalising without a cause keeps the cause already decided.
        state = { ...state, ...who, status: "finalised", outcome: e.after?.outcome ?? null, cause: cause ?? state.cause, autoConfirmed: e.actor.type === "system", hasDecision: true };
        break;
      case "reopen":
        state = { ...state, ...who, status: "open", outcome: null, cause: null, autoConfirmed: false };
        break;
    }
  }
  return { ...state, evidence, noteCount, entryCount: ordered.length, lastEffectiveAt: lastMs === null ? null : isoMs(lastMs) };
}
