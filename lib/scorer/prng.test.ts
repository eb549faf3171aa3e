import { describe, expect, it } from "vitest";
import { createPrng, deriveSeed } from "./prng";

describe("mulberry32 PRNG", () => {
  it("matches the reference mulberry32 sequence for seed 42", () => {
    const prng = createPrng(42);
    expect([prng.nextUint32(), prng.nextUint32(), prng.nextUint32()]).toEqual([2581720956, 1925393290, 3661312704]);
    expect(createPrng(1).nextUint32()).toBe(2693262067);
  });

  it("repeats exactly for the same seed and differs for another", () => {
    const draw = (seed: number) => {
      const prng = createPrng(seed);
      return Array.from({ length: 1000 }, () => prng.nextFloat());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("keeps floats in [0, 1) and integers in [0, n)", () => {
    const prng = createPrng(3);
    for (let i = 0; i < 10_000; i++) {
      const u = prng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      const k = prng.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it("derives distinct, stable child seeds", () => {
    const seeds = Array.from({ length: 100 }, (_, m) => deriveSeed(42, m));
    expect(new Set(seeds).size).toBe(100);
    expect(deriveSeed(42, 0)).toBe(812041526);
    expect(deriveSeed(43, 0)).not.toBe(deriveSeed(42, 0));
  });
});
