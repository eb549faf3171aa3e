import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, entryHash, GENESIS_HASH, verifyChain, type ChainLink } from "./chain";

/** Builds a valid chain from contents, with microsecond times one second apart. */
function chainOf(contents: unknown[]): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  contents.forEach((content, i) => {
    const c = canonicalJson(content);
    const recordedAt = `2026-11-23T09:00:${String(i).padStart(2, "0")}.123456Z`;
    const seq = i + 1;
    const hash = entryHash(c, seq, recordedAt, prev);
    links.push({ c, seq, recordedAt, prevHash: prev, hash });
    prev = hash;
  });
  return links;
}

describe("edit-log chain (governance spec §1)", () => {
  it("hashes exactly as the spec's formula, checked against sha256sum", () => {
    // printf '%s' '{"a":1}\n1\n2026-11-23T09:00:00.123456Z\n000…000' | sha256sum
    expect(entryHash('{"a":1}', 1, "2026-11-23T09:00:00.123456Z", GENESIS_HASH)).toBe("efdf8a06578cfd29f16400cecd77eaf38f3fd750b9328ea07c5ffae31a2f7611");
  });

  it("writes RFC 8785 canonical JSON: sorted keys, ES number forms, no whitespace", () => {
    expect(canonicalJson({ b: [3, 1e21, 0.1], a: "é", c: { z: null, y: true } })).toBe('{"a":"é","b":[3,1e+21,0.1],"c":{"y":true,"z":null}}');
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
    expect(() => canonicalJson({ a: undefined })).toThrow(/\$\.a is undefined/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/not a JSON value/);
  });

  it("verifies a valid chain and returns its head", () => {
    const links = chainOf([{ action: "confirm", subject: "0254_01" }, { action: "override", reason: "data_error" }, { action: "annotate" }]);
    expect(verifyChain(links)).toEqual({ ok: true, count: 3, headHash: links[2]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it("names the first bad entry for every kind of tampering", () => {
    const links = chainOf(Array.from({ length: 6 }, (_, i) => ({ i, action: "confirm" })));
    const tamper = (i: number, change: Partial<ChainLink>) => links.map((l, j) => (j === i ? { ...l, ...change } : l));
    expect(verifyChain(tamper(3, { c: canonicalJson({ i: 3, action: "override" }) }))).toMatchObject({ ok: false, count: 3, firstBad: { seq: "4", reason: expect.stringContaining("hash does not match") } });
    expect(verifyChain(tamper(2, { c: '{ "i":2,"action":"confirm"}' }))).toMatchObject({ firstBad: { seq: "3", reason: expect.stringContaining("canonical") } });
    expect(verifyChain(tamper(1, { recordedAt: "2026-11-23T09:00:01.123Z" }))).toMatchObject({ firstBad: { seq: "2", reason: expect.stringContaining("recordedAt") } });
    expect(verifyChain(tamper(4, { recordedAt: "2026-11-23T09:00:04.123457Z" }))).toMatchObject({ firstBad: { seq: "5" } });
    expect(verifyChain([links[0]!, links[2]!]).ok).toBe(false);
    expect(verifyChain([links[0]!, links[2]!])).toMatchObject({ firstBad: { seq: "3", reason: expect.stringContaining("gap") } });
    expect(verifyChain(links.slice(1))).toMatchObject({ firstBad: { seq: "2" } });
  });

  it("detects any single-character change anywhere in any entry (property)", () => {
    const links = chainOf(Array.from({ length: 5 }, (_, i) => ({ i, text: `entry ${i}` })));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.constantFrom<keyof ChainLink>("c", "recordedAt", "prevHash", "hash"), fc.nat(), (i, field, pos) => {
        const original = String(links[i]![field]);
        const at = pos % original.length;
        const ch = original[at] === "0" ? "1" : "0";
        const changed = original.slice(0, at) + ch + original.slice(at + 1);
        const result = verifyChain(links.map((l, j) => (j === i ? { ...l, [field]: changed } : l)));
        return !result.ok && Number(result.firstBad.seq) <= i + 2;
      }),
    );
  });
});
