/**
 * The edit log as an RFC 9162 (Certificate Transparency 2.0) Merkle tree, §2.1: the leaves
 * are the entries' hashes in seq order (leaf i is entry seq i + 1), hashed as
 *   leaf = SHA-256(0x00 ‖ entry hash bytes),  node = SHA-256(0x01 ‖ left ‖ right),
 * and the tree of n leaves splits at the largest power of two below n. Pure: node:crypto.
 *
 * The database keeps every *perfect* subtree's hash (aligned, a power of two leaves: level
 * l, index i covers leaves [i·2^l, (i+1)·2^l)), written as entries are appended. Any range
 * the RFC's recursion asks for is a perfect subtree or splits into O(log n) of them, so a
 * proof reads O(log n) stored hashes: `inclusionPlan` / `consistencyPlan` name them, the
 * data layer reads them in one query, and `inclusionProof` / `consistencyProof` assemble the
 * RFC's audit paths. `verifyInclusion` / `verifyConsistency` are the RFC's §2.1.3.2 and
 * §2.1.4.2 algorithms, as an auditor runs them.
 */
import { createHash } from "node:crypto";

/** A perfect subtree: `level` (its height) and `index` (which one at that height). */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export type NodeHashes = ReadonlyMap<string, Buffer>;

export const nodeKey = (n: NodeRef): string => `${n.level}:${n.index}`;

export function leafHash(entryHash: Buffer): Buffer {
  return createHash("sha256").update(Buffer.of(0)).update(entryHash).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();
}

/** MTH of no leaves: SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash("sha256").digest();

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** The perfect subtrees whose hashes make MTH(D[a:b]) (left to right). */
function rangeNodes(a: number, b: number, out: NodeRef[]): void {
  const n = b - a;
  if (isPowerOfTwo(n) && a % n === 0) {
    out.push({ level: Math.log2(n), index: a / n });
    return;
  }
  const k = splitPoint(n);
  rangeNodes(a, a + k, out);
  rangeNodes(a + k, b, out);
}

/** MTH(D[a:b]) from the stored perfect subtrees (b > a). */
function rangeHash(a: number, b: number, nodes: NodeHashes): Buffer {
  const n = b - a;
  if (isPowerOfTwo(n) && a % n === 0) {
    const h = nodes.get(nodeKey({ level: Math.log2(n), index: a / n }));
    if (!h) throw new Error(`the tree lacks node ${Math.log2(n)}:${a / n}`);
    return h;
  }
  const k = splitPoint(n);
  return nodeHash(rangeHash(a, a + k, nodes), rangeHash(a + k, b, nodes));
}

/** The RFC's PATH(m, D[0:n]) as the ranges whose hashes it lists, leaf side first. */
function inclusionRanges(m: number, a: number, b: number, out: [number, number][]): void {
  const n = b - a;
  if (n === 1) return;
  const k = splitPoint(n);
  if (m < k) {
    inclusionRanges(m, a, a + k, out);
    out.push([a + k, b]);
  } else {
    inclusionRanges(m - k, a + k, b, out);
    out.push([a, a + k]);
  }
}

/** The RFC's SUBPROOF(m, D[a:b], true) as ranges, in proof order. */
function consistencyRanges(m: number, a: number, b: number, complete: boolean, out: [number, number][]): void {
  const n = b - a;
  if (m === n) {
    if (!complete) out.push([a, b]);
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    consistencyRanges(m, a, a + k, complete, out);
    out.push([a + k, b]);
  } else {
    consistencyRanges(m - k, a + k, b, false, out);
    out.push([a, a + k]);
  }
}

const unique = (refs: NodeRef[]): NodeRef[] => [...new Map(refs.map((r) => [nodeKey(r), r])).values()];
const nodesOf = (ranges: [number, number][]): NodeRef[] => {
  const out: NodeRef[] = [];
  for (const [a, b] of ranges) rangeNodes(a, b, out);
  return out;
};

function checkSize(treeSize: number): void {
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) throw new RangeError(`tree size must be a whole number ≥ 1 (got ${treeSize})`);
}

/** The stored nodes an inclusion proof of leaf `index` in the tree of `treeSize` leaves reads (the root's included). */
export function inclusionPlan(index: number, treeSize: number): NodeRef[] {
  checkSize(treeSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) throw new RangeError(`leaf index must be 0…${treeSize - 1} (got ${index})`);
  const ranges: [number, number][] = [];
  inclusionRanges(index, 0, treeSize, ranges);
  return unique([...nodesOf(ranges), ...nodesOf([[0, treeSize]]), { level: 0, index }]);
}

/** The stored nodes a consistency proof between trees of `first` and `second` leaves reads (both roots included). */
export function consistencyPlan(first: number, second: number): NodeRef[] {
  checkSize(first);
  checkSize(second);
  if (first > second) throw new RangeError(`the first tree size must not exceed the second (${first} > ${second})`);
  const ranges: [number, number][] = [];
  if (first < second) consistencyRanges(first, 0, second, true, ranges);
  return unique([...nodesOf(ranges), ...nodesOf([[0, first]]), ...nodesOf([[0, second]])]);
}

/** The stored nodes the root of the tree of `treeSize` leaves reads (none for the empty tree). */
export function rootPlan(treeSize: number): NodeRef[] {
  if (treeSize === 0) return [];
  checkSize(treeSize);
  return nodesOf([[0, treeSize]]);
}

/**
 * The RFC 9162 root of the leaves pushed so far, in O(log n) memory: the perfect subtrees of
 * the binary expansion of the size (largest, leftmost first), folded from the right — the
 * same MTH the recursion splits out. For auditors and `verifyLedger`, which recompute the
 * roots of signed sizes from the entries themselves while they stream.
 */
export function createRootAccumulator() {
  // stack[i] covers 2^levels[i] leaves; levels strictly decrease towards the top.
  const stack: { level: number; hash: Buffer }[] = [];
  let size = 0;
  return {
    push(entryHash: Buffer): void {
      let top = { level: 0, hash: leafHash(entryHash) };
      while (stack.length && stack[stack.length - 1]!.level === top.level) {
        const left = stack.pop()!;
        top = { level: top.level + 1, hash: nodeHash(left.hash, top.hash) };
      }
      stack.push(top);
      size++;
    },
    get size(): number {
      return size;
    },
    root(): Buffer {
      if (stack.length === 0) return EMPTY_ROOT;
      let r = stack[stack.length - 1]!.hash;
      for (let i = stack.length - 2; i >= 0; i--) r = nodeHash(stack[i]!.hash, r);
      return r;
    },
  };
}

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** hex: the leaf hash (SHA-256(0x00 ‖ entry hash)) */
  readonly leafHash: string;
  /** hex, leaf side first (RFC 9162 §2.1.3.1) */
  readonly auditPath: string[];
  readonly rootHash: string;
}

export interface ConsistencyProof {
  readonly first: number;
  readonly second: number;
  /** hex, in the RFC's order (§2.1.4.1) */
  readonly path: string[];
  readonly firstRoot: string;
  readonly secondRoot: string;
}

export function rootHash(treeSize: number, nodes: NodeHashes): Buffer {
  return treeSize === 0 ? EMPTY_ROOT : rangeHash(0, treeSize, nodes);
}

/** The inclusion proof of leaf `index`, from the nodes `inclusionPlan` named. */
export function inclusionProof(index: number, treeSize: number, nodes: NodeHashes): InclusionProof {
  const ranges: [number, number][] = [];
  inclusionRanges(index, 0, treeSize, ranges);
  return {
    leafIndex: index,
    treeSize,
    leafHash: rangeHash(index, index + 1, nodes).toString("hex"),
    auditPath: ranges.map(([a, b]) => rangeHash(a, b, nodes).toString("hex")),
    rootHash: rootHash(treeSize, nodes).toString("hex"),
  };
}

/** The consistency proof between trees of `first` and `second` leaves, from the nodes `consistencyPlan` named. */
export function consistencyProof(first: number, second: number, nodes: NodeHashes): ConsistencyProof {
  const ranges: [number, number][] = [];
  if (first < second) consistencyRanges(first, 0, second, true, ranges);
  return {
    first,
    second,
    path: ranges.map(([a, b]) => rangeHash(a, b, nodes).toString("hex")),
    firstRoot: rootHash(first, nodes).toString("hex"),
    secondRoot: rootHash(second, nodes).toString("hex"),
  };
}

const bytes = (hex: string): Buffer => Buffer.from(hex, "hex");

/** RFC 9162 §2.1.3.2: does `leafHashHex` sit at `index` of the tree of `treeSize` leaves whose root is `rootHex`? */
export function verifyInclusion(index: number, treeSize: number, leafHashHex: string, auditPath: readonly string[], rootHex: string): boolean {
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = bytes(leafHashHex);
  for (const p of auditPath) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(bytes(p), r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, bytes(p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(bytes(rootHex));
}

/** RFC 9162 §2.1.4.2: is the tree of `second` leaves (root `secondRoot`) an extension of the tree of `first` leaves (root `firstRoot`)? */
export function verifyConsistency(first: number, second: number, path: readonly string[], firstRoot: string, secondRoot: string): boolean {
  if (first > second) return false;
  if (first === second) return path.length === 0 && firstRoot === secondRoot;
  if (first === 0) return path.length === 0;
  if (path.length === 0) return false;
  const proof = isPowerOfTwo(first) ? [firstRoot, ...path] : [...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = bytes(proof[0]!);
  let sr = bytes(proof[0]!);
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(bytes(c), fr);
      sr = nodeHash(bytes(c), sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, bytes(c));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(bytes(firstRoot)) && sr.equals(bytes(secondRoot));
}

/** The perfect-subtree hashes an append of leaf `index` (its hash `leaf`) completes, given the stored ones: what the database writes. */
export function nodesCompletedBy(index: number, leaf: Buffer, nodes: NodeHashes): { ref: NodeRef; hash: Buffer }[] {
  const out = [{ ref: { level: 0, index }, hash: leaf }];
  let level = 0;
  let i = index;
  let h = leaf;
  while (i % 2 === 1) {
    const left = nodes.get(nodeKey({ level, index: i - 1 }));
    if (!left) throw new Error(`the tree lacks node ${level}:${i - 1}`);
    h = nodeHash(left, h);
    level++;
    i = (i - 1) / 2;
    out.push({ ref: { level, index: i }, hash: h });
  }
  return out;
}
