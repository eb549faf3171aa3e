/**
 * A tiny deterministic PRNG (mulberry32) and a seed mixer. Training draws every random
 * choice (bootstrap rows, row/column subsamples) from one of these, so a seed fixes the
 * model bit for bit; nothing in `lib/scorer` touches `Math.random`.
 */

export type Prng = {
  /** Uniform integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform float in [0, 1), 32 bits of resolution. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2³². */
  nextInt(n: number): number;
};

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const nextFloat = (): number => nextUint32() / 4294967296;
  // Multiply-shift is biased by at most n/2³², far below anything training can notice.
  const nextInt = (n: number): number => Math.floor(nextFloat() * n);
  return { nextUint32, nextFloat, nextInt };
}

/** Derives an independent 32-bit seed from a parent seed and a stream index (splitmix32 finaliser). */
export function deriveSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((stream >>> 0) + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}
