/**
 * What the database checks before it appends (governance spec §1): whatever the app's login
 * sends to edit_log_append — past the app's own validation — must be canonical JSON, a known
 * subject type and action, by a real actor whose role may take it, at a believable time.
 * Each refusal names the field and the rule.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { ROLE_PERMISSIONS } from "@/lib/auth/permissions";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { LEDGER_ACTIONS } from "@/lib/ledger/actions";
import { canonicalJson } from "@/lib/ledger/chain";
import { WEEKEND_AUTO_CONFIRM_RULE } from "@/lib/mrs/automation";

// Its own database: event entries here would make the shared one's demo seed skip its case studies.
const db = withTestDatabase({ own: "appendchecks" });
type Person = Extract<Actor, { kind: "user" }>;
let analyst: Person;
let lead: Person;
let admin: Person;
beforeAll(async () => {
  [analyst, lead, admin] = await Promise.all([testPerson("analyst"), testPerson("lead"), testPerson("admin")]);
});

const who = (p: Person) => ({ type: "user", id: p.id, role: p.role });

function content(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subjectType: "record",
    subjectId: `chk-${randomUUID().slice(0, 8)}`,
    action: "note",
    before: null,
    after: null,
    reasonCode: null,
    reasonText: "seen",
    evidence: [],
    actor: who(analyst),
    sessionId: null,
    effectiveAt: new Date().toISOString(),
    ...fields,
  };
}

/** Straight to the SQL function as the app's login, past the app's zod schema. */
const append = (c: string) => db.handle().pool.query("SELECT seq FROM edit_log_append($1, NULL::integer)", [c]);
const refused = async (c: string, rule: RegExp) => {
  await expect(append(c)).rejects.toMatchObject({ code: "SR422", message: expect.stringMatching(rule) });
};

describe("edit_log_append refuses what the app would never send", () => {
  it("takes the canonical form of a sound entry", async () => {
    await expect(append(canonicalJson(content()))).resolves.toMatchObject({ rowCount: 1 });
  });

  it("refuses content that is not RFC 8785 canonical: spaces, key order, duplicate keys, 1.0, escaped characters", async () => {
    const c = canonicalJson(content({ after: { weight: 1.5 } }));
    const cases = [
      c.replace('"action":', '"action": '), // a space
      `{"subjectType":"record",${c.slice(1).replace('"subjectType":"record",', "")}`, // order
      c.replace('"action":"note"', '"action":"note","action":"note"'), // a duplicate key
      c.replace('"weight":1.5', '"weight":1.50'),
      c.replace('"reasonText":"seen"', '"reasonText":"s\\u0065en"'),
      `${c}\n`,
    ];
    for (const variant of cases) {
      expect(variant).not.toBe(c);
      await refused(variant, /not canonical JSON \(RFC 8785\)/);
    }
    await expect(append(c)).resolves.toMatchObject({ rowCount: 1 });
  });

  it("refuses a subjectType or action outside the closed sets, naming the allowed ones", async () => {
    await refused(canonicalJson(content({ subjectType: "whatever" })), /subjectType "whatever" is not one of .*record/);
    await refused(canonicalJson(content({ action: "anything" })), /action "anything" is not one of amend, claim, confirm, note, override, takeover for a record/);
    await refused(canonicalJson(content({ subjectType: "canary", action: "note" })), /subjectType "canary" is not one of/);
  });

  it("refuses an actor who does not exist, holds another role, is deactivated, or whose role may not take the action", async () => {
    await refused(canonicalJson(content({ actor: { type: "user", id: randomUUID(), role: "analyst" } })), /actor\.id: no user .* exists/);
    await refused(canonicalJson(content({ actor: { type: "user", id: "not-a-uuid", role: "analyst" } })), /actor\.id must be a user id/);
    // Another person's id with a role they do not hold.
    await refused(canonicalJson(content({ actor: { type: "user", id: analyst.id, role: "lead" } })), /actor\.role: user .* holds the role analyst, not lead/);
    // The permission map, mirrored in the database: an analyst may not amend or finalise.
    await refused(canonicalJson(content({ action: "amend", actor: who(analyst) })), /actor\.role: a analyst may not amend a record \(it needs records:amend\)/);
    await refused(canonicalJson(content({ subjectType: "event", action: "finalise", actor: who(analyst) })), /may not finalise a event \(it needs events:finalise\)/);
    await refused(canonicalJson(content({ subjectType: "user", subjectId: lead.id, action: "role_changed", actor: who(lead) })), /may not role_changed a user \(it needs users:manage\)/);
    // A system rule only where the catalogue names it.
    await refused(canonicalJson(content({ action: "confirm", actor: { type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "1" } })), /actor\.rule: no system rule may confirm a record/);
    await refused(canonicalJson(content({ subjectType: "event", action: "confirm", actor: { type: "system", rule: "made_up", configVersion: "1" } })), /except weekend_auto_confirm/);
    await expect(append(canonicalJson(content({ subjectType: "event", action: "confirm", actor: { type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "1" } })))).resolves.toMatchObject({ rowCount: 1 });
    await expect(append(canonicalJson(content({ subjectType: "event", action: "finalise", actor: who(lead) })))).resolves.toMatchObject({ rowCount: 1 });
    // Deactivated: the account can no longer act.
    const gone = await testPerson("analyst");
    await db.owner().pool.query("UPDATE users SET active = false WHERE id = $1", [gone.id]);
    await refused(canonicalJson(content({ actor: who(gone) })), /actor\.id: user .* is deactivated/);
  });

  it("refuses an effectiveAt more than 5 minutes after recording or before the subject existed", async () => {
    await refused(canonicalJson(content({ effectiveAt: new Date(Date.now() + 3_600_000).toISOString() })), /more than 5 minutes after the time of recording/);
    const subject = await testPerson("analyst");
    const change = (effectiveAt: string) => canonicalJson(content({ subjectType: "user", subjectId: subject.id, action: "role_changed", actor: who(admin), effectiveAt }));
    await refused(change("2020-01-01T00:00:00.000Z"), /effectiveAt 2020-01-01T00:00:00.000Z is before user .* existed/);
    await expect(append(change(new Date().toISOString()))).resolves.toMatchObject({ rowCount: 1 });
  });
});

describe("the database's copies of the catalogue", () => {
  it("ledger_actions equals lib/ledger/actions.ts and ledger_role_permissions equals lib/auth/permissions.ts", async () => {
    const actions = (await db.handle().pool.query<{ subject_type: string; action: string; permission: string; system_rule: string | null }>("SELECT subject_type, action, permission, system_rule FROM ledger_actions ORDER BY 1, 2")).rows;
    const expected = Object.entries(LEDGER_ACTIONS)
      .flatMap(([subjectType, byAction]) =>
        Object.entries(byAction as Record<string, { permission: string; systemRule?: string }>).map(([action, rule]) => ({ subject_type: subjectType, action, permission: rule.permission, system_rule: rule.systemRule ?? null })),
      )
      .sort((a, b) => (a.subject_type === b.subject_type ? (a.action < b.action ? -1 : 1) : a.subject_type < b.subject_type ? -1 : 1));
    expect(actions).toEqual(expected);
    const permissions = (await db.handle().pool.query<{ role: string; permission: string }>("SELECT role, permission FROM ledger_role_permissions ORDER BY 1, 2")).rows;
    const map = Object.entries(ROLE_PERMISSIONS).flatMap(([role, ps]) => ps.map((permission) => ({ role, permission }))).sort((a, b) => (a.role === b.role ? (a.permission < b.permission ? -1 : 1) : a.role < b.role ? -1 : 1));
    expect(permissions).toEqual(map);
  });
});

describe("ledger_canonical_json", () => {
  // jsonb holds no \u0000 and no lone surrogate; neither can be an entry's content.
  const storable = (v: unknown) => !/\\u0000|\\ud[89a-f]/i.test(JSON.stringify(v));

  it("equals RFC 8785 (lib/ledger canonicalJson) on generated JSON: numbers, escapes, key order in UTF-16 units", async () => {
    const samples = fc.sample(fc.jsonValue({ maxDepth: 3 }).filter(storable), { numRuns: 400, seed: 8785 });
    const edge = [
      { n: [0, -0, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, -1.5, 0.1, 1e-6, 100, 2 ** 53 + 2] },
      { "\u{1F600}": 1, "\uFFFF": 2, a: 3, "é": 4, "\u0007": 5 },
      { s: "tab\t quote\" backslash\\ slash/ line\u2028 del\u007f bell\u0007 emoji\u{1F600}" },
    ];
    const values = [...edge, ...samples];
    const rows = (await db.handle().pool.query<{ c: string }>("SELECT ledger_canonical_json(v) AS c FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(v, i) ORDER BY i", [values.map((v) => JSON.stringify(v))])).rows;
    expect(rows.map((r) => r.c)).toEqual(values.map((v) => canonicalJson(v)));
  });
});
