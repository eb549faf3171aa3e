import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { groupOf } from "./features";
import { groupHash, groupKFold, isHoldoutGroup, splitHoldout } from "./split";

const ids = readFileSync(path.resolve(import.meta.dirname, "../../data/spaceship-titanic/train.csv"), "utf8")
  .split("\n")
  .slice(1)
  .filter((line) => line.length > 0)
  .map((line) => line.slice(0, line.indexOf(",")));

describe("§7 holdout", () => {
  it("puts about 20 % of passenger groups in the holdout, never splitting a group", () => {
    const { training, holdout } = splitHoldout(
      ids.map((recordId) => ({ recordId })),
      42,
    );
    const holdoutGroups = new Set(holdout.map((r) => groupOf(r.recordId)));
    const trainingGroups = new Set(training.map((r) => groupOf(r.recordId)));
    expect([...holdoutGroups].some((g) => trainingGroups.has(g))).toBe(false);
    const share = holdoutGroups.size / (holdoutGroups.size + trainingGroups.size);
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    expect(training.length + holdout.length).toBe(ids.length);
  });

  it("is a pure function of (group, seed)", () => {
    expect(groupHash("0254", 42)).toBe(groupHash("0254", 42));
    expect(isHoldoutGroup("0254", 42)).toBe(isHoldoutGroup("0254", 42));
    const a = ids.filter((id) => isHoldoutGroup(groupOf(id), 42));
    const b = ids.filter((id) => isHoldoutGroup(groupOf(id), 43));
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
