/**
 * Gradient-boosted decision trees for binary labels: logistic loss, second-order (Newton)
 * leaf values with L2 shrinkage, histogram splits over quantile bins, depth limit, min
 * child weight, row/column subsampling from a seeded PRNG, and a learned default
 * direction for missing values (XGBoost's "sparsity-aware" split: NaN goes to the side
 * with the larger gain).
 *
 * Attribution is Saabas' path method: an internal node's value is the mean leaf output
 * over the *reference rows* (the training rows) that reach it, so the root value is the
 * tree's mean over the training set; along a record's path each split's change of node
 * value is credited to the split feature. Per tree, root + Σ changes = the leaf value,
 * so base + Σ contributions = the logit, and base = the training mean of the logit
 * (the reference point of spec/gating.md §1.1).
 */
import type { Prng } from "./prng";

/** Leaf values are multiples of this, so the JSON artifact stores small integers and round-trips exactly. */
export const VALUE_SCALE = 1_000_000;

export type GbdtParams = {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** At most this many value bins per feature (plus one for missing); ≤ 254. */
  maxBins: number;
  /** Minimum hessian sum (≈ p(1−p)·rows) in each child. */
  minChildWeight: number;
  /** L2 penalty λ on leaf values. */
  l2: number;
  /** A split must improve the regularised objective by more than this. */
  minSplitGain: number;
  /** Share of rows each tree sees (Bernoulli per row). */
  rowSubsample: number;
  /** Share of features each tree may split on. */
  columnSubsample: number;
};

/** Per feature, ascending cut points: `x < edges[k]` ⇔ bin(x) ≤ k. */
export type BinEdges = readonly (readonly number[])[];

/**
 * A tree in preorder, the artifact's form. `feature[i] = -1` marks a leaf; internal nodes
 * (in preorder) have `cut` (index into the feature's bin edges: go left iff
 * `x < edges[cut]`) and `missingLeft` (1 when NaN goes left); leaves (in preorder) have
 * `leafValue` in units of 1/VALUE_SCALE logit and `leafCount`, the number of reference
 * rows reaching them (the weights of the node means used by attribution).
 */
export type CompactTree = {
  feature: number[];
  cut: number[];
  missingLeft: number[];
  leafValue: number[];
  leafCount: number[];
};

export type CompactBooster = {
  /** Initial logit (log-odds of the member's weighted label mean), in 1/VALUE_SCALE units. */
  initialValue: number;
  trees: CompactTree[];
};

/** A tree decoded for fast traversal; node 0 is the root. */
export type Tree = {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf: its output. Internal: the reference-row mean of the leaf outputs below it. */
  value: Float64Array;
};

export type Booster = { initialValue: number; trees: Tree[] };

export type BinnedMatrix = {
  rows: number;
  /** Column-major bin codes; `missingBin[f]` (= edges + 1) marks NaN. */
  columns: Uint8Array[];
  missingBin: Int32Array;
};

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/**
 * Quantile bin edges from the non-missing values: every distinct value but the smallest
 * when there are few; otherwise bins of equal row mass, re-targeted after each bin so a
 * heavy atom (the zero spends, ~65 % of rows) takes one bin and the rest share the others.
 */
export function computeBinEdges(values: ArrayLike<number>, maxBins: number): number[] {
  if (maxBins < 2 || maxBins > 254) throw new RangeError(`maxBins must be in [2, 254], got ${maxBins}`);
  const observed: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isNaN(value)) observed.push(value);
  }
  observed.sort((a, b) => a - b);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const value of observed) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === value) counts[counts.length - 1]! += 1;
    else {
      distinct.push(value);
      counts.push(1);
    }
  }
  if (distinct.length <= maxBins) return distinct.slice(1);
  const edges: number[] = [];
  let remainingRows = observed.length;
  let binsLeft = maxBins;
  let inBin = 0;
  for (let i = 0; i < distinct.length - 1 && binsLeft > 1; i++) {
    inBin += counts[i]!;
    if (inBin >= remainingRows / binsLeft) {
      edges.push(distinct[i + 1]!);
      remainingRows -= inBin;
      binsLeft -= 1;
      inBin = 0;
    }
  }
  return edges;
}

/** bin(x) = number of edges ≤ x (binary search). */
export function binOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins a row-major matrix (each row a feature vector) against the given edges. */
export function binMatrix(matrix: readonly Float64Array[], binEdges: BinEdges): BinnedMatrix {
  const rows = matrix.length;
  const columns: Uint8Array[] = [];
  const missingBin = new Int32Array(binEdges.length);
  binEdges.forEach((edges, feature) => {
    const column = new Uint8Array(rows);
    const missing = edges.length + 1;
    missingBin[feature] = missing;
    for (let i = 0; i < rows; i++) {
      const value = matrix[i]![feature]!;
      column[i] = Number.isNaN(value) ? missing : binOf(edges, value);
    }
    columns.push(column);
  });
  return { rows, columns, missingBin };
}

type GrowingNode =
  | { kind: "leaf"; value: number }
  | { kind: "split"; feature: number; cut: number; missingLeft: boolean; left: GrowingNode; right: GrowingNode };

type SplitChoice = { gain: number; feature: number; cut: number; missingLeft: boolean; leftCount: number; rightCount: number };

/** Everything one booster's training loop shares; built once per `fitBooster` call. */
class TreeGrower {
  private readonly offsets: Int32Array;
  private readonly histogramSize: number;
  private readonly partitionBuffer: Uint32Array;

  constructor(
    private readonly binned: BinnedMatrix,
    private readonly params: GbdtParams,
    private readonly gradients: Float64Array,
    private readonly hessians: Float64Array,
  ) {
    const features = binned.columns.length;
    this.offsets = new Int32Array(features + 1);
    for (let f = 0; f < features; f++) this.offsets[f + 1] = this.offsets[f]! + binned.missingBin[f]! + 1;
    this.histogramSize = this.offsets[features]! * 3;
    this.partitionBuffer = new Uint32Array(binned.rows);
  }

  grow(rows: Uint32Array, features: readonly number[]): GrowingNode {
    const histogram = this.buildHistogram(rows, 0, rows.length, features);
    let gradient = 0;
    let hessian = 0;
    for (let r = 0; r < rows.length; r++) {
      gradient += this.gradients[rows[r]!]!;
      hessian += this.hessians[rows[r]!]!;
    }
    return this.growNode(rows, 0, rows.length, 0, histogram, gradient, hessian, features);
  }

  private leaf(gradient: number, hessian: number): GrowingNode {
    const value = (-gradient / (hessian + this.params.l2)) * this.params.learningRate;
    return { kind: "leaf", value: Math.round(value * VALUE_SCALE) };
  }

  private growNode(
    rows: Uint32Array,
    start: number,
    end: number,
    depth: number,
    histogram: Float64Array,
    gradient: number,
    hessian: number,
    features: readonly number[],
  ): GrowingNode {
    if (depth >= this.params.maxDepth || end - start < 2) return this.leaf(gradient, hessian);
    const split = this.bestSplit(histogram, gradient, hessian, end - start, features);
    if (split === null) return this.leaf(gradient, hessian);

    const middle = this.partition(rows, start, end, split);
    const leftIsSmaller = middle - start <= end - middle;
    const small = leftIsSmaller ? this.buildHistogram(rows, start, middle, features) : this.buildHistogram(rows, middle, end, features);
    // The larger child's histogram is the parent's minus the smaller one's: half the passes.
    const large = histogram;
    for (const f of features) {
      for (let k = this.offsets[f]! * 3; k < this.offsets[f + 1]! * 3; k++) large[k] = large[k]! - small[k]!;
    }
    const leftHistogram = leftIsSmaller ? small : large;
    const rightHistogram = leftIsSmaller ? large : small;
    const [leftGradient, leftHessian] = this.sums(rows, start, middle);
    const left = this.growNode(rows, start, middle, depth + 1, leftHistogram, leftGradient, leftHessian, features);
    const [rightGradient, rightHessian] = this.sums(rows, middle, end);
    const right = this.growNode(rows, middle, end, depth + 1, rightHistogram, rightGradient, rightHessian, features);
    return { kind: "split", feature: split.feature, cut: split.cut, missingLeft: split.missingLeft, left, right };
  }

  private sums(rows: Uint32Array, start: number, end: number): [number, number] {
    let gradient = 0;
    let hessian = 0;
    for (let r = start; r < end; r++) {
      gradient += this.gradients[rows[r]!]!;
      hessian += this.hessians[rows[r]!]!;
    }
    return [gradient, hessian];
  }

  private buildHistogram(rows: Uint32Array, start: number, end: number, features: readonly number[]): Float64Array {
    const histogram = new Float64Array(this.histogramSize);
    for (const f of features) {
      const column = this.binned.columns[f]!;
      const base = this.offsets[f]! * 3;
      for (let r = start; r < end; r++) {
        const row = rows[r]!;
        const slot = base + column[row]! * 3;
        histogram[slot] = histogram[slot]! + this.gradients[row]!;
        histogram[slot + 1] = histogram[slot + 1]! + this.hessians[row]!;
        histogram[slot + 2] = histogram[slot + 2]! + 1;
      }
    }
    return histogram;
  }

  private bestSplit(histogram: Float64Array, gradient: number, hessian: number, count: number, features: readonly number[]): SplitChoice | null {
    const { l2, minChildWeight, minSplitGain } = this.params;
    const parentScore = (gradient * gradient) / (hessian + l2);
    let best: SplitChoice | null = null;
    for (const f of features) {
      const base = this.offsets[f]! * 3;
      const missing = this.binned.missingBin[f]!;
      const missingGradient = histogram[base + missing * 3]!;
      const missingHessian = histogram[base + missing * 3 + 1]!;
      const missingCount = histogram[base + missing * 3 + 2]!;
      let leftGradient = 0;
      let leftHessian = 0;
      let leftCount = 0;
      // Cut k sends bins 0..k left; the last value bin (index missing − 1) cannot be a cut.
      for (let k = 0; k < missing - 1; k++) {
        leftGradient += histogram[base + k * 3]!;
        leftHessian += histogram[base + k * 3 + 1]!;
        leftCount += histogram[base + k * 3 + 2]!;
        const directions = missingCount > 0 ? [false, true] : [false];
        for (const missingLeft of directions) {
          const lg = missingLeft ? leftGradient + missingGradient : leftGradient;
          const lh = missingLeft ? leftHessian + missingHessian : leftHessian;
          const lc = missingLeft ? leftCount + missingCount : leftCount;
          const rg = gradient - lg;
          const rh = hessian - lh;
          const rc = count - lc;
          if (lc < 1 || rc < 1 || lh < minChildWeight || rh < minChildWeight) continue;
          const gain = 0.5 * ((lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parentScore);
          if (gain > minSplitGain && (best === null || gain > best.gain)) {
            best = { gain, feature: f, cut: k, missingLeft, leftCount: lc, rightCount: rc };
          }
        }
      }
    }
    // No missing rows here: send future NaNs the way most training rows went.
    if (best !== null && histogram[this.offsets[best.feature]! * 3 + this.binned.missingBin[best.feature]! * 3 + 2] === 0) {
      best.missingLeft = best.leftCount >= best.rightCount;
    }
    return best;
  }

  /** Stable partition of rows[start, end) into left then right; returns the boundary. */
  private partition(rows: Uint32Array, start: number, end: number, split: SplitChoice): number {
    const column = this.binned.columns[split.feature]!;
    const missing = this.binned.missingBin[split.feature]!;
    let write = start;
    let spill = 0;
    for (let r = start; r < end; r++) {
      const row = rows[r]!;
      const bin = column[row]!;
      const goesLeft = bin === missing ? split.missingLeft : bin <= split.cut;
      if (goesLeft) rows[write++] = row;
      else this.partitionBuffer[spill++] = row;
    }
    rows.set(this.partitionBuffer.subarray(0, spill), write);
    return write;
  }
}

function encodeTree(root: GrowingNode): Omit<CompactTree, "leafCount"> {
  const tree: Omit<CompactTree, "leafCount"> = { feature: [], cut: [], missingLeft: [], leafValue: [] };
  const visit = (node: GrowingNode): void => {
    if (node.kind === "leaf") {
      tree.feature.push(-1);
      tree.leafValue.push(node.value);
      return;
    }
    tree.feature.push(node.feature);
    tree.cut.push(node.cut);
    tree.missingLeft.push(node.missingLeft ? 1 : 0);
    visit(node.left);
    visit(node.right);
  };
  visit(root);
  return tree;
}

/** Preorder position of the leaf a binned row reaches, counted among leaves. */
function leafIndexOfBinnedRow(tree: Omit<CompactTree, "leafCount">, binned: BinnedMatrix, row: number): number {
  let node = 0;
  let internal = 0;
  let leaf = 0;
  // Walk preorder: going left is the next node; going right skips the left subtree.
  for (;;) {
    const feature = tree.feature[node]!;
    if (feature < 0) return leaf;
    const bin = binned.columns[feature]![row]!;
    const goesLeft = bin === binned.missingBin[feature] ? tree.missingLeft[internal] === 1 : bin <= tree.cut[internal]!;
    node += 1;
    internal += 1;
    if (!goesLeft) {
      // Skip the left subtree: internal nodes and leaves it holds.
      let pending = 1;
      while (pending > 0) {
        if (tree.feature[node]! < 0) {
          leaf += 1;
          pending -= 1;
        } else {
          internal += 1;
          pending += 1;
        }
        node += 1;
      }
    }
  }
}

export type FitBoosterInput = {
  binned: BinnedMatrix;
  labels: ArrayLike<number>;
  /** Row weights (bootstrap counts); 0 excludes a row from fitting but not from the reference means. */
  weights: ArrayLike<number>;
  params: GbdtParams;
  prng: Prng;
};

/** Fits one booster. Every binned row is a reference row for the node means. */
export function fitBooster({ binned, labels, weights, params, prng }: FitBoosterInput): CompactBooster {
  const n = binned.rows;
  const featureCount = binned.columns.length;
  let weightSum = 0;
  let positiveSum = 0;
  for (let i = 0; i < n; i++) {
    weightSum += weights[i]!;
    positiveSum += weights[i]! * labels[i]!;
  }
  if (weightSum <= 0 || positiveSum <= 0 || positiveSum >= weightSum) throw new Error("fitBooster needs both classes with positive weight");
  const initialValue = Math.round(logit(positiveSum / weightSum) * VALUE_SCALE);

  const scores = new Float64Array(n).fill(initialValue / VALUE_SCALE);
  const gradients = new Float64Array(n);
  const hessians = new Float64Array(n);
  const grower = new TreeGrower(binned, params, gradients, hessians);
  const sampleBuffer = new Uint32Array(n);
  const columnsPerTree = Math.max(1, Math.round(params.columnSubsample * featureCount));
  const trees: CompactTree[] = [];

  for (let round = 0; round < params.rounds; round++) {
    let sampled = 0;
    for (let i = 0; i < n; i++) {
      // One draw per row whatever its weight, so the stream does not depend on the sample.
      const keep = prng.nextFloat() < params.rowSubsample;
      const weight = weights[i]!;
      if (!keep || weight === 0) {
        gradients[i] = 0;
        hessians[i] = 0;
        continue;
      }
      const p = sigmoid(scores[i]!);
      gradients[i] = weight * (p - labels[i]!);
      hessians[i] = weight * Math.max(p * (1 - p), 1e-16);
      sampleBuffer[sampled++] = i;
    }
    const features = pickColumns(featureCount, columnsPerTree, prng);
    const root = grower.grow(sampleBuffer.slice(0, sampled), features);
    const encoded = encodeTree(root);
    const leafCount = new Array<number>(encoded.leafValue.length).fill(0);
    for (let i = 0; i < n; i++) {
      const leaf = leafIndexOfBinnedRow(encoded, binned, i);
      leafCount[leaf]! += 1;
      scores[i] = scores[i]! + encoded.leafValue[leaf]! / VALUE_SCALE;
    }
    trees.push({ ...encoded, leafCount });
  }
  return { initialValue, trees };
}

/** `count` distinct feature indices, ascending (partial Fisher–Yates). */
function pickColumns(featureCount: number, count: number, prng: Prng): number[] {
  const all = Array.from({ length: featureCount }, (_, i) => i);
  if (count >= featureCount) return all;
  for (let i = 0; i < count; i++) {
    const j = i + prng.nextInt(featureCount - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

/** Decodes a compact tree; internal node values are reference-row-weighted means of their leaves. */
export function decodeTree(compact: CompactTree, binEdges: BinEdges): Tree {
  const size = compact.feature.length;
  const tree: Tree = {
    feature: new Int32Array(size),
    threshold: new Float64Array(size),
    missingLeft: new Uint8Array(size),
    left: new Int32Array(size).fill(-1),
    right: new Int32Array(size).fill(-1),
    value: new Float64Array(size),
  };
  let node = 0;
  let internal = 0;
  let leaf = 0;
  // Returns [node index, reference rows below it].
  const visit = (): [number, number] => {
    const index = node++;
    if (index >= size) throw new Error("tree ends inside a subtree");
    const feature = compact.feature[index]!;
    tree.feature[index] = feature;
    if (feature < 0) {
      const value = compact.leafValue[leaf];
      const count = compact.leafCount[leaf];
      if (value === undefined || count === undefined) throw new Error("tree has fewer leaf values than leaves");
      leaf += 1;
      tree.value[index] = value / VALUE_SCALE;
      return [index, count];
    }
    const cut = compact.cut[internal];
    const missingLeft = compact.missingLeft[internal];
    const edges = binEdges[feature];
    if (cut === undefined || missingLeft === undefined || edges === undefined || cut < 0 || cut >= edges.length) {
      throw new Error(`tree node ${index}: feature ${feature} has no cut ${String(cut)}`);
    }
    internal += 1;
    tree.threshold[index] = edges[cut]!;
    tree.missingLeft[index] = missingLeft;
    const [left, leftCount] = visit();
    const [right, rightCount] = visit();
    tree.left[index] = left;
    tree.right[index] = right;
    const count = leftCount + rightCount;
    tree.value[index] =
      count > 0
        ? (leftCount * tree.value[left]! + rightCount * tree.value[right]!) / count
        : (tree.value[left]! + tree.value[right]!) / 2;
    return [index, count];
  };
  visit();
  if (node !== size || leaf !== compact.leafValue.length || internal !== compact.cut.length) {
    throw new Error("tree arrays do not describe one preorder tree");
  }
  return tree;
}

export function decodeBooster(compact: CompactBooster, binEdges: BinEdges): Booster {
  return { initialValue: compact.initialValue / VALUE_SCALE, trees: compact.trees.map((tree) => decodeTree(tree, binEdges)) };
}

function goesLeft(tree: Tree, node: number, x: Float64Array): boolean {
  const value = x[tree.feature[node]!]!;
  return Number.isNaN(value) ? tree.missingLeft[node] === 1 : value < tree.threshold[node]!;
}

/** The booster's raw logit for one feature vector. */
export function predictLogit(booster: Booster, x: Float64Array): number {
  let logitSum = booster.initialValue;
  for (const tree of booster.trees) {
    let node = 0;
    while (tree.feature[node]! >= 0) node = goesLeft(tree, node, x) ? tree.left[node]! : tree.right[node]!;
    logitSum += tree.value[node]!;
  }
  return logitSum;
}

export type Attribution = { logit: number; base: number; contributions: Float64Array };

/**
 * Saabas path attribution: base = initial value + Σ root values (the training mean of
 * the logit); each split on the path credits (child value − parent value) to its feature.
 * Pass a zeroed `contributions` buffer to reuse it; it is filled in place.
 */
export function attribute(
  booster: Booster,
  x: Float64Array,
  featureCount: number,
  contributions: Float64Array = new Float64Array(featureCount),
): Attribution {
  let base = booster.initialValue;
  let logitSum = booster.initialValue;
  for (const tree of booster.trees) {
    let node = 0;
    base += tree.value[0]!;
    while (tree.feature[node]! >= 0) {
      const next = goesLeft(tree, node, x) ? tree.left[node]! : tree.right[node]!;
      const feature = tree.feature[node]!;
      contributions[feature] = contributions[feature]! + (tree.value[next]! - tree.value[node]!);
      node = next;
    }
    logitSum += tree.value[node]!;
  }
  return { logit: logitSum, base, contributions };
}
