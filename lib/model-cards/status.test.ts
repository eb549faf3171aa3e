import { describe, expect, it } from "vitest";
import { registryStatuses } from "./status";

const v = (id: string, registeredStatus: "candidate" | "champion" | "retired" = "candidate") => ({ id, registeredStatus });

describe("registry statuses", () => {
  it("the registered champion holds the title until a promotion is approved; the one it replaces is retired", () => {
    const versions = [v("a", "champion"), v("b"), v("c")];
    expect(Object.fromEntries(registryStatuses(versions, []).status)).toEqual({ a: "champion", b: "candidate", c: "candidate" });
    expect(Object.fromEntries(registryStatuses(versions, ["b"]).status)).toEqual({ a: "retired", b: "champion", c: "candidate" });
  });

  it("a rollback is one more approval: the earlier champion holds the title again and the whole history stays", () => {
    const { status, champions } = registryStatuses([v("a", "champion"), v("b"), v("c")], ["b", "a"]);
    expect(Object.fromEntries(status)).toEqual({ a: "champion", b: "retired", c: "candidate" });
    expect(champions).toEqual(["a", "b", "a"]);
  });

  it("a model without a champion has only candidates, and a card registered as retired stays retired", () => {
    expect(Object.fromEntries(registryStatuses([v("a"), v("b", "retired")], []).status)).toEqual({ a: "candidate", b: "retired" });
    expect(registryStatuses([v("a")], []).champions).toEqual([]);
  });
});
