/**
 * The Merkle tree against RFC 9162 §2.1 written out literally (MTH, PATH, PROOF over the
 * whole leaf list), for every pair of sizes up to 64 and random larger ones: the proofs
 * built from stored perfect subtrees equal the RFC's, the RFC's verifiers accept them, and
 * reject them with any hash, index or size changed.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyPlan,
  consistencyProof,
  createRootAccumulator,
  EMPTY_ROOT,
  inclusionPlan,
  inclusionProof,
  leafHash,
  nodeHash,
  nodeKey,
  nodesCompletedBy,
  rootHash,
  rootPlan,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";

const entryHash = (i: number) => createHash("sha256").update(`entry ${i}`).digest();

// RFC 9162 §2.1.1–2.1.4, literally.
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return createHash("sha256").digest();
  if (d.length === 1) return leafHash(d[0]!);
  const s = k(d.length);
  return nodeHash(mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  const n = d.length;
  if (m === n) return b ? [] : [mth(d)];
  const s = k(n);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

/** The stored perfect subtrees of `n` leaves, written append by append as the database does. */
function storedTree(n: number): Map<string, Buffer> {
  const nodes = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) for (const { ref, hash } of nodesCompletedBy(i, leafHash(entryHash(i)), nodes)) nodes.set(nodeKey(ref), hash);
  return nodes;
}

const hex = (b: Buffer[]) => b.map((x) => x.toString("hex"));
const flip = (h: string) => (h[0] === "0" ? "1" : "0") + h.slice(1);
const leaves = (n: number) => Array.from({ length: n }, (_, i) => entryHash(i));
const only = (nodes: Map<string, Buffer>, plan: { level: number; index: number }[]) => new Map(plan.map((r) => [nodeKey(r), nodes.get(nodeKey(r))!]));

describe("RFC 9162 Merkle tree", () => {
  it("writes each perfect subtree once, from the appends alone, with the RFC's hash", () => {
    const d = leaves(37);
    const nodes = storedTree(37);
    expect(nodes.size).toBe(37 + 18 + 9 + 4 + 2 + 1);
    expect(nodes.get("5:0")).toEqual(mth(d.slice(0, 32)));
    expect(nodes.get("2:8")).toEqual(mth(d.slice(32, 36)));
    for (let n = 1; n <= 37; n++) expect(rootHash(n, nodes)).toEqual(mth(d.slice(0, n)));
    expect(rootHash(0, nodes)).toEqual(EMPTY_ROOT);
  });

  it("the streaming root (O(log n) memory) and the root from the planned stored nodes are the RFC's MTH at every size", () => {
    const d = leaves(130);
    const nodes = storedTree(130);
    const acc = createRootAccumulator();
    expect(acc.root()).toEqual(EMPTY_ROOT);
    expect(rootPlan(0)).toEqual([]);
    for (let n = 1; n <= 130; n++) {
      acc.push(d[n - 1]!);
      expect(acc.size).toBe(n);
      expect(acc.root()).toEqual(mth(d.slice(0, n)));
      const plan = rootPlan(n);
      expect(plan.length).toBe(n.toString(2).replace(/0/g, "").length); // one perfect subtree per 1-bit of n
      expect(rootHash(n, only(nodes, plan))).toEqual(mth(d.slice(0, n)));
    }
  });

  it("inclusion proofs equal the RFC's PATH, read only the planned nodes, verify, and fail when anything changes", () => {
    const all = storedTree(64);
    const d = leaves(64);
    for (let n = 1; n <= 64; n++) {
      for (let m = 0; m < n; m++) {
        const p = inclusionProof(m, n, only(all, inclusionPlan(m, n)));
        expect(p.auditPath).toEqual(hex(path(m, d.slice(0, n))));
        expect(p.rootHash).toBe(mth(d.slice(0, n)).toString("hex"));
        expect(verifyInclusion(m, n, p.leafHash, p.auditPath, p.rootHash)).toBe(true);
        expect(verifyInclusion(m, n, flip(p.leafHash), p.auditPath, p.rootHash)).toBe(false);
        expect(verifyInclusion(m, n, p.leafHash, p.auditPath, flip(p.rootHash))).toBe(false);
        if (p.auditPath.length > 0) expect(verifyInclusion(m, n, p.leafHash, [flip(p.auditPath[0]!), ...p.auditPath.slice(1)], p.rootHash)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, p.leafHash, p.auditPath, p.rootHash)).toBe(false);
      }
    }
  });

  it("consistency proofs equal the RFC's PROOF, verify, and fail when anything changes", () => {
    const all = storedTree(64);
    const d = leaves(64);
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(m, n, only(all, consistencyPlan(m, n)));
        expect(p.path).toEqual(m === n ? [] : hex(subproof(m, d.slice(0, n), true)));
        expect(verifyConsistency(m, n, p.path, p.firstRoot, p.secondRoot)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, p.path, flip(p.firstRoot), p.secondRoot)).toBe(false);
          expect(verifyConsistency(m, n, p.path, p.firstRoot, flip(p.secondRoot))).toBe(false);
          expect(verifyConsistency(m, n, [flip(p.path[0]!), ...p.path.slice(1)], p.firstRoot, p.secondRoot)).toBe(false);
          expect(verifyConsistency(m, n, [], p.firstRoot, p.secondRoot)).toBe(false);
        }
      }
    }
    expect(() => consistencyPlan(5, 4)).toThrow(RangeError);
    expect(() => inclusionPlan(4, 4)).toThrow(RangeError);
  });

  it("reads O(log n) nodes per proof at any size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 40 }), (a, b) => {
        const [first, second] = a <= b ? [a, b] : [b, a];
        expect(inclusionPlan(first - 1, second).length).toBeLessThanOrEqual(3 * 41);
        expect(consistencyPlan(first, second).length).toBeLessThanOrEqual(4 * 41);
      }),
    );
  });
});
