/**
 * The witness comparison, pure: heads pair by size and signature, so a changed field reads as
 * that field differing; heads missing on either side, unreadable lines and witnessed roots the
 * entries no longer reach are each named by tree size (or line number) and field.
 */
import { describe, expect, it } from "vitest";
import { compareWitness, parseWitness, WITNESS_GRACE_MS, witnessLine, type WitnessedHead } from "./witness";

const head = (treeSize: string, n: number): WitnessedHead => ({
  treeSize,
  rootHash: treeSize.padStart(64, "0"),
  headHash: "a".repeat(64),
  signedAt: `2026-12-0${n}T00:00:00.000Z`,
  keyId: "k1",
  publicKey: "P",
  signature: `sig-${n}`,
});
const roots = (...heads: WitnessedHead[]) => new Map(heads.map((h) => [h.treeSize, h.rootHash]));

describe("compareWitness", () => {
  it("agrees when both sides hold the same heads and the entries reach their roots; none before any head", () => {
    const heads = [head("5", 1), head("9", 2), head("9", 3)];
    const file = parseWitness(heads.map(witnessLine).join(""));
    expect(compareWitness("f", heads, file, roots(...heads))).toEqual({ state: "agrees", file: "f", witnessed: 3, signed: 3, problems: [] });
    expect(compareWitness("f", [], parseWitness(""), new Map()).state).toBe("none");
  });

  it("gives a head signed under a minute ago time to reach the file (its line follows the commit), and no longer", () => {
    const signed = head("5", 1);
    const at = Date.parse(signed.signedAt);
    expect(compareWitness("f", [signed], parseWitness(""), roots(signed), at + WITNESS_GRACE_MS - 1).problems).toEqual([]);
    expect(compareWitness("f", [signed], parseWitness(""), roots(signed), at + WITNESS_GRACE_MS).problems.map((p) => p.message)).toEqual([
      "tree head 5 (signed 2026-12-01T00:00:00.000Z) is in the database but not in the witness file",
    ]);
  });

  it("names each difference by tree size and field, and a line that is not a head by its number", () => {
    const db = [head("5", 1), head("9", 2)];
    const changed = { ...db[1]!, signedAt: "2026-12-09T00:00:00.000Z", signature: "other" };
    const text = `${witnessLine(db[0]!)}${witnessLine(changed)}${witnessLine(head("12", 4))}{"treeSize":"13"}\n{oops\n`;
    const r = compareWitness("f", db, parseWitness(text), roots(db[0]!, db[1]!));
    expect(r.state).toBe("disagrees");
    expect(r.problems.map((p) => [p.treeSize, p.field])).toEqual([
      ["13", "rootHash"],
      ["", null],
      ["9", "signedAt"],
      ["9", "signature"],
      ["12", null],
      ["12", "treeSize"],
    ]);
    expect(r.problems[1]!.message).toBe("line 5 of the witness file is not JSON");
    expect(r.problems[4]!.message).toBe("tree head 12 (signed 2026-12-04T00:00:00.000Z) is in the witness file but not in the database");
  });

  it("flags a witnessed root the entries no longer reach, even when the database's head was rewritten to match", () => {
    const witnessed = head("5", 1);
    const rewritten = { ...witnessed };
    const r = compareWitness("f", [rewritten], parseWitness(witnessLine(witnessed)), new Map([["5", "f".repeat(64)]]));
    expect(r.problems).toEqual([{ treeSize: "5", field: "rootHash", message: expect.stringContaining("an entry up to 5 changed") }]);
  });
});
