/**
 * The gate CLI as a user runs it (spawned, no database): canaries, determinism, provenance
 * and --now, dialects, shuffling, bad rows, --skip-invalid, --help.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GATING_CORE_VERSION, SEED_CANARY_IDS, type GatingProvenance } from "@/lib/gating";

const DATA = "data/spaceship-titanic/train.csv";
const dir = mkdtempSync(path.join(tmpdir(), "gate-cli-"));
const file = (name: string) => path.join(dir, name);

function gate(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/gate.ts", ...args], { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Line = { recordId: string; route: string; reasons: { code: string }[]; flags: string[]; batchId: string; policyHash: string; pGlm: number | null };
const linesOf = (text: string): Line[] => text.trim().split("\n").map((l) => JSON.parse(l) as Line);

/** The shipped file (TRUE/FALSE, NaN, CRLF) rewritten as Kaggle writes it (True/False, empty cells, LF, 0.0). */
function kaggleDialect(csv: string): string {
  return csv
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line, i) =>
      i === 0 || line === ""
        ? line
        : line
            .split(",")
            .map((cell) => (cell === "NaN" ? "" : cell === "TRUE" ? "True" : cell === "FALSE" ? "False" : /^\d+$/.test(cell) ? `${cell}.0` : cell))
            .join(","),
    )
    .join("\n");
}

describe("npm run gate", () => {
  const shipped = readFileSync(DATA, "utf8");

  it("routes every canary of the shipped file to audit with CANARY, byte-identically on a second run", () => {
    const first = gate(["--input", DATA, "--out", file("a.jsonl")]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/gated 8693 records in 87 batch\(es\) of up to 100/);
    expect(first.stderr).toMatch(/records\/s/);
    expect(first.stderr).toMatch(/top reasons: /);
    const lines = linesOf(readFileSync(file("a.jsonl"), "utf8"));
    expect(lines).toHaveLength(8693);
    for (const id of SEED_CANARY_IDS) {
      const line = lines.find((l) => l.recordId === id)!;
      expect(line.route).toBe("audit");
      expect(line.reasons[0]!.code).toBe("CANARY");
    }
    expect(lines.find((l) => l.recordId === "0257_01")!.flags).toContain("SUPER_DOMINANT");
    expect(lines.every((l) => l.pGlm !== null && /^[0-9a-f]{64}$/.test(l.policyHash))).toBe(true);

    const second = gate(["--input", DATA, "--out", file("b.jsonl")]);
    expect(second.code).toBe(0);
    // Buffer.equals: a deep toEqual over ~28 MB of bytes would exhaust the test worker's memory.
    expect(readFileSync(file("b.jsonl")).equals(readFileSync(file("a.jsonl")))).toBe(true);

    // Kaggle's dialect of the same data gates the same, byte for byte.
    writeFileSync(file("kaggle.csv"), kaggleDialect(shipped));
    const kaggle = gate(["--input", file("kaggle.csv"), "--out", file("k.jsonl")]);
    expect(kaggle.code, kaggle.stderr).toBe(0);
    expect(readFileSync(file("k.jsonl"), "utf8")).toBe(readFileSync(file("a.jsonl"), "utf8"));
  }, 180_000);

  it("writes each result's §9 provenance, stamped with --now (default 1970-01-01T00:00:00Z, byte-deterministic)", () => {
    const rows = shipped.replace(/\r\n/g, "\n").trimEnd().split("\n").slice(0, 61);
    writeFileSync(file("sixty.csv"), rows.join("\n"));
    const byDefault = gate(["--input", file("sixty.csv"), "--batch-size", "20"]);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    type Full = Line & { route: string; policyId: string; provenance: GatingProvenance };
    const lines = linesOf(byDefault.stdout) as Full[];
    expect(lines).toHaveLength(60);
    for (const line of lines) {
      const p = line.provenance;
      expect(p.writtenAt).toBe("1970-01-01T00:00:00Z");
      expect(p.gatingCoreVersion).toBe(GATING_CORE_VERSION);
      expect(p).toMatchObject({ recordId: line.recordId, route: line.route, policy: { id: line.policyId, hash: line.policyHash }, batch: { batchId: line.batchId, size: 20 } });
      expect(p.reasons).toEqual(line.reasons);
      expect(p.flags).toEqual(line.flags);
      for (const key of ["spend", "missingChannels", "topology", "cluster", "varComponents", "varCombined", "p10", "p50", "p90", "confidence", "inheritedHold"]) expect(p).toHaveProperty(key);
    }
    // Raw spends keep their nulls: a NaN cell is null, never 0.
    const missing = lines.find((l) => Object.values(l.provenance.spend).includes(null))!;
    const channel = Object.keys(missing.provenance.spend).find((c) => missing.provenance.spend[c] === null)!;
    expect(missing.provenance.missingChannels[channel]).toBe(true);
    expect(gate(["--input", file("sixty.csv"), "--batch-size", "20"]).stdout).toBe(byDefault.stdout);

    // --now changes the stamp and nothing else.
    const stamped = gate(["--input", file("sixty.csv"), "--batch-size", "20", "--now", "2026-11-23T09:00:00Z"]);
    expect(stamped.code, stamped.stderr).toBe(0);
    const stampedLines = linesOf(stamped.stdout) as Full[];
    expect(stampedLines.every((l) => l.provenance.writtenAt === "2026-11-23T09:00:00Z")).toBe(true);
    expect(stamped.stdout).not.toBe(byDefault.stdout);
    expect(stamped.stdout.replaceAll('"writtenAt":"2026-11-23T09:00:00Z"', '"writtenAt":"1970-01-01T00:00:00Z"')).toBe(byDefault.stdout);
    expect(gate(["--input", file("sixty.csv"), "--batch-size", "20", "--now", "2026-11-23T09:00:00Z"]).stdout).toBe(stamped.stdout);
  }, 60_000);

  it("changes only the order when the rows are shuffled and the batch is the whole file", () => {
    const rows = shipped.replace(/\r\n/g, "\n").trimEnd().split("\n");
    const header = rows[0]!;
    const body = rows.slice(1, 1501);
    // A fixed permutation (reverse interleave) so the test is repeatable.
    const shuffled = [...body.filter((_, i) => i % 2 === 1).reverse(), ...body.filter((_, i) => i % 2 === 0)];
    writeFileSync(file("ordered.csv"), [header, ...body].join("\n"));
    writeFileSync(file("shuffled.csv"), [header, ...shuffled].join("\n"));
    const a = gate(["--input", file("ordered.csv"), "--batch-size", "1500", "--now", "2026-11-23T09:00:00Z"]);
    const b = gate(["--input", file("shuffled.csv"), "--batch-size", "1500", "--now", "2026-11-23T09:00:00Z"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const sortById = (text: string) => text.trim().split("\n").sort();
    expect(sortById(b.stdout)).toEqual(sortById(a.stdout));
    expect(b.stdout).not.toBe(a.stdout);
  }, 120_000);

  it("reports a malformed row with its line and field, exits non-zero and writes nothing", () => {
    const rows = shipped.replace(/\r\n/g, "\n").split("\n").slice(0, 21);
    rows[5] = rows[5]!.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, "$1-5");
    rows[9] = rows[9]!.replace(/^([^,]*,[^,]*,)[^,]*/, "$1maybe");
    writeFileSync(file("bad.csv"), rows.join("\n"));
    const r = gate(["--input", file("bad.csv"), "--out", file("bad.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("line 6, RoomService:");
    expect(r.stderr).toContain("line 10, CryoSleep:");
    expect(r.stderr).toContain("2 problem(s)");
    expect(existsSync(file("bad.jsonl"))).toBe(false);

    const skipped = gate(["--input", file("bad.csv"), "--out", file("skip.jsonl"), "--skip-invalid"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(linesOf(readFileSync(file("skip.jsonl"), "utf8"))).toHaveLength(18);
    const rejects = readFileSync(file("skip.jsonl.rejects.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rejects.map((x: { line: number; field: string }) => [x.line, x.field])).toEqual([
      [6, "RoomService"],
      [10, "CryoSleep"],
    ]);
  }, 60_000);

  it("gates JSONL: scored records as sent, raw ones through the reference scorer, bad ones named", () => {
    const scored = { recordId: "j-1", spend: { RoomService: 0, FoodCourt: null, ShoppingMall: 0, Spa: 0, VRDeck: 0 }, context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "F/1/S" }, pModel: 0.9, scorerVersion: "upstream-1" };
    const raw = { recordId: "j-2", spend: { RoomService: 10, FoodCourt: 0, ShoppingMall: null, Spa: 2000, VRDeck: 0 }, context: { HomePlanet: "Mars", Destination: "TRAPPIST-1e", Cabin: "F/2/P", CryoSleep: false, Age: 30 } };
    writeFileSync(file("ok.jsonl"), `${JSON.stringify(scored)}\n\n${JSON.stringify(raw)}\n`);
    const ok = gate(["--input", file("ok.jsonl"), "--batch-size", "2"]);
    expect(ok.code, ok.stderr).toBe(0);
    const [one, two] = linesOf(ok.stdout) as (Line & { pModel: number; scorerVersion: string })[];
    expect(one).toMatchObject({ recordId: "j-1", pModel: 0.9, scorerVersion: "upstream-1" });
    expect(two!.scorerVersion).toMatch(/^gbdt-ens-/);

    const bad = [
      JSON.stringify({ ...scored, spend: { ...scored.spend, Spa: -1 } }),
      "{not json",
      JSON.stringify({ ...raw, ensemble: [0.5] }),
      JSON.stringify({ ...scored, recordId: "j-1b", spend: { RoomService: 0, FoodCourt: 0, ShoppingMall: 0, Spa: 0 } }),
    ];
    writeFileSync(file("bad.jsonl"), `${bad.join("\n")}\n`);
    const r = gate(["--input", file("bad.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/line 1 \(j-1\), spend\.Spa: /);
    expect(r.stderr).toMatch(/line 2: not valid JSON/);
    expect(r.stderr).toMatch(/line 3 \(j-2\), ensemble: is only allowed with pModel/);
    expect(r.stderr).toMatch(/line 4 \(j-1b\), spend\.VRDeck: is required/);
  }, 60_000);

  it("documents every option in --help and rejects bad usage with exit code 2", () => {
    const help = gate(["--help"]);
    expect(help.code).toBe(0);
    for (const option of ["--input", "--policy", "--batch-size", "--now", "--out", "--skip-invalid", "--rejects", "--format"]) expect(help.stdout).toContain(option);
    expect(gate([]).code).toBe(2);
    const r = gate(["--input", DATA, "--batch-size", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--batch-size must be an integer in [1, 10000]");
    expect(gate(["--input", DATA, "--now", "yesterday"]).stderr).toContain("--now must be an ISO 8601 time");
    expect(gate(["--input", file("missing.csv")]).code).toBe(2);
  }, 60_000);
});
