import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { groupOf } from "./features";
import { groupHash, groupKFold, splitPartOf, splitParts } from "./split";

const ids = readFileSync(path.resolve(import.meta.dirname, "../../data/spaceship-titanic/train.csv"), "utf8")
  .split("\n")
  .slice(1)
  .filter((line) => line.length > 0)
  .map((line) => line.slice(0, line.indexOf(",")));

describe("§7 parts", () => {
  it("puts about 60 / 20 / 20 % of passenger groups in training / calibration / test, never splitting a group", () => {
    const parts = splitParts(
      ids.map((recordId) => ({ recordId })),
      42,
    );
    const groups = Object.fromEntries(Object.entries(parts).map(([part, rows]) => [part, new Set(rows.map((r) => groupOf(r.recordId)))])) as Record<keyof typeof parts, Set<string>>;
    const all = groups.training.size + groups.calibration.size + groups.test.size;
    expect(new Set([...groups.training, ...groups.calibration, ...groups.test]).size).toBe(all);
    for (const [part, share] of [["training", 0.6], ["calibration", 0.2], ["test", 0.2]] as const) {
      expect(Math.abs(groups[part].size / all - share)).toBeLessThan(0.02);
    }
    expect(parts.training.length + parts.calibration.length + parts.test.length).toBe(ids.length);
  });

  it("is a pure function of (group, seed)", () => {
    expect(groupHash("0254", 42)).toBe(groupHash("0254", 42));
    expect(splitPartOf("0254", 42)).toBe(splitPartOf("0254", 42));
    const a = ids.filter((id) => splitPartOf(groupOf(id), 42) === "test");
    const b = ids.filter((id) => splitPartOf(groupOf(id), 43) === "test");
    expect(a).not.toEqual(b);
  });
});

describe("groupKFold", () => {
  it("keeps groups whole and balances rows across folds", () => {
    const folds = groupKFold(ids, 5);
    const foldOfGroup = new Map<string, number>();
    ids.forEach((id, i) => {
      const group = groupOf(id);
      expect(foldOfGroup.get(group) ?? folds[i]).toBe(folds[i]);
      foldOfGroup.set(group, folds[i]!);
    });
    const counts = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(groupKFold(ids, 5)).toEqual(folds);
  });
});
