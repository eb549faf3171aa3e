import { describe, expect, it } from "vitest";
import { editLogEntrySchema } from "@/lib/ledger/entry";
import { ANALYST, LEAD, T0, cause, entry, plus } from "./fixtures.test-support";
import { humanEntrySchema, projectDecision, transitionError } from "./human";
import { eventId } from "./ids";

const tiktok = cause("social_viral", "TikTok Viral");
const dataError = cause("data_error", "Till fault");

describe("human entries on events and reports (spec §7)", () => {
  it("a valid action is also a valid edit-log entry (lib/ledger)", () => {
    const e = entry({ action: "override", after: { status: "decided", cause: tiktok }, reasonCode: "new_evidence", reasonText: "video", evidence: ["https://x.example.com/v"] });
    expect(humanEntrySchema.safeParse(e).success).toBe(true);
    expect(editLogEntrySchema.safeParse({ ...e, sessionId: null }).success).toBe(true);
  });

  it("names the field and rule when an action is incomplete", () => {
    const issues = (value: unknown) => (humanEntrySchema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues(entry({ action: "override", after: { status: "decided", cause: tiktok } }))).toEqual([
      "reasonCode: reasonCode is required for an override",
      "reasonText: reasonText is required for an override: say why",
    ]);
    expect(issues(entry({ action: "finalise", after: { status: "finalised", outcome: "won" as never, cause: null }, reasonCode: "other" }))).toEqual([
      "after.outcome: after.outcome must be one of approved, false_positive, dismissed",
    ]);
    expect(issues(entry({ action: "reopen", after: { status: "open" } }))).toEqual(["reasonText: reasonText is required to reopen: say why"]);
    expect(issues(entry({ action: "note", subjectId: "G-1", reasonText: "x" }))).toEqual(["subjectId: subjectId must be an event id (ME- + 12 hex digits)"]);
    expect(issues(entry({ action: "confirm", after: { status: "decided", cause: { category: "unknown", label: "x".repeat(81) } } }))).toEqual([
      "after.cause.label: after.cause.label must be at most 80 characters",
    ]);
  });

  it("status transitions: open → decided → finalised, reopen back to open", () => {
    expect(transitionError("open", "confirm")).toBeNull();
    expect(transitionError("decided", "override")).toBeNull();
    expect(transitionError("open", "finalise")).toBeNull();
    expect(transitionError("finalised", "confirm")).toBe("a finalised subject must be reopened before it can be confirmed");
    expect(transitionError("finalised", "finalise")).toBe("the subject is already finalised");
    expect(transitionError("open", "reopen")).toBe("the subject is already open");
    expect(transitionError("finalised", "reopen")).toBeNull();
    expect(transitionError("finalised", "note")).toBeNull();
  });

  it("projects entries in effectiveAt order, whatever order they arrive in", () => {
    const entries = [
      entry({ action: "finalise", after: { status: "finalised", outcome: "false_positive", cause: dataError }, actor: LEAD, reasonCode: "data_issue", effectiveAt: plus(T0, 30) }),
      entry({ action: "note", reasonText: "ops email", evidence: ["https://ops.example.com/1"], effectiveAt: plus(T0, 10) }),
      entry({ action: "confirm", after: { status: "decided", cause: tiktok }, effectiveAt: plus(T0, 20) }),
    ];
    const state = projectDecision(entries);
    expect(state).toMatchObject({ status: "finalised", outcome: "false_positive", cause: dataError, lastAction: "finalise", decidedBy: LEAD, hasDecision: true, noteCount: 1, entryCount: 3 });
    expect(state.evidence).toEqual(["https://ops.example.com/1"]);
    expect(state.decidedAt).toBe(plus(T0, 30));
    expect(projectDecision([...entries].reverse())).toEqual(state);
  });

  it("finalise without a cause keeps the decided cause; reopen clears it but remembers a decision was made", () => {
    const confirmed = entry({ action: "confirm", after: { status: "decided", cause: tiktok }, effectiveAt: plus(T0, 1) });
    const finalised = entry({ action: "finalise", after: { status: "finalised", outcome: "approved", cause: null }, actor: LEAD, effectiveAt: plus(T0, 2) });
    expect(projectDecision([confirmed, finalised])).toMatchObject({ status: "finalised", outcome: "approved", cause: tiktok });
    const reopened = projectDecision([confirmed, finalised, entry({ action: "reopen", after: { status: "open" }, reasonText: "new data", actor: LEAD, effectiveAt: plus(T0, 3) })]);
    expect(reopened).toMatchObject({ status: "open", outcome: null, cause: null, lastAction: "reopen", hasDecision: true, autoConfirmed: false });
  });

  it("same effectiveAt: ledger seq orders, else content (deterministic)", () => {
    const a = entry({ action: "override", after: { status: "decided", cause: tiktok }, seq: 2 });
    const b = entry({ action: "override", after: { status: "decided", cause: dataError }, seq: 1 });
    expect(projectDecision([a, b]).cause).toEqual(tiktok);
    expect(projectDecision([b, a]).cause).toEqual(tiktok);
    const { seq: _a, ...a2 } = a;
    const { seq: _b, ...b2 } = b;
    expect(projectDecision([a2, b2])).toEqual(projectDecision([b2, a2]));
  });

  it("a system confirmation is marked auto-confirmed", () => {
    const sys = entry({ action: "confirm", after: { status: "decided", cause: tiktok }, actor: { type: "system", rule: "weekend_auto_confirm", configVersion: "w1" } });
    expect(projectDecision([sys])).toMatchObject({ status: "decided", autoConfirmed: true, decidedBy: { type: "system", rule: "weekend_auto_confirm", configVersion: "w1" } });
    expect(projectDecision([])).toMatchObject({ status: "open", hasDecision: false, lastEffectiveAt: null });
    expect(eventId("G-1")).toMatch(/^ME-/);
    expect(ANALYST.role).toBe("analyst");
  });
});
