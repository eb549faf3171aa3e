import { describe, expect, it } from "vitest";
import {
  buildFeatureVector,
  FEATURE_CHANNELS,
  FEATURE_NAMES,
  groupOf,
  groupSizes,
  ScorerInputError,
  SPEND_CHANNELS,
  withGroupSizes,
  type ScorerRecord,
} from "./features";

const canary0257: ScorerRecord = {
  recordId: "0257_01",
  spend: { RoomService: 1664, FoodCourt: 0, ShoppingMall: null, Spa: 0, VRDeck: 0 },
  context: { HomePlanet: "Mars", CryoSleep: false, Cabin: "F/49/S", Destination: "55 Cancri e", Age: 21, VIP: false, GroupSize: 1 },
};

function valueOf(vector: Float64Array, name: string): number {
  return vector[FEATURE_NAMES.indexOf(name)]!;
}

describe("buildFeatureVector", () => {
  it("builds the documented features for a real row", () => {
    const x = buildFeatureVector(canary0257);
    expect(x).toHaveLength(FEATURE_NAMES.length);
    expect(valueOf(x, "RoomService_log1p")).toBeCloseTo(Math.log(1665), 12);
    expect(valueOf(x, "FoodCourt_log1p")).toBe(0);
    expect(valueOf(x, "TotalSpend_log1p")).toBeCloseTo(Math.log(1665), 12);
    expect(valueOf(x, "MissingSpendCount")).toBe(1);
    expect(valueOf(x, "CryoSleep")).toBe(0);
    expect(valueOf(x, "VIP")).toBe(0);
    expect(valueOf(x, "Age")).toBe(21);
    expect(valueOf(x, "CabinDeck")).toBe(5); // F
    expect(valueOf(x, "CabinNumber")).toBe(49);
    expect(valueOf(x, "CabinSide")).toBe(1); // S
    expect(valueOf(x, "GroupSize")).toBe(1);
    expect(valueOf(x, "HomePlanet=Mars")).toBe(1);
    expect(valueOf(x, "HomePlanet=Earth")).toBe(0);
    expect(valueOf(x, "Destination=55 Cancri e")).toBe(1);
  });

  it("keeps a missing spend missing: NaN plus an indicator, never 0", () => {
    const missing = buildFeatureVector(canary0257);
    const zero = buildFeatureVector({ ...canary0257, spend: { ...canary0257.spend, ShoppingMall: 0 } });
    expect(Number.isNaN(valueOf(missing, "ShoppingMall_log1p"))).toBe(true);
    expect(valueOf(missing, "ShoppingMall_missing")).toBe(1);
    expect(valueOf(zero, "ShoppingMall_log1p")).toBe(0);
    expect(valueOf(zero, "ShoppingMall_missing")).toBe(0);
    expect(valueOf(zero, "MissingSpendCount")).toBe(0);
  });

  it("keeps missing context missing (NaN in every derived feature)", () => {
    const x = buildFeatureVector({
      recordId: "9999_01",
      spend: Object.fromEntries(SPEND_CHANNELS.map((c) => [c, null])),
      context: { HomePlanet: null, CryoSleep: "NaN", Cabin: "", Age: null },
    });
    for (const name of ["TotalSpend_log1p", "CryoSleep", "VIP", "Age", "CabinDeck", "CabinNumber", "CabinSide", "GroupSize", "HomePlanet=Earth", "Destination=TRAPPIST-1e"]) {
      expect(Number.isNaN(valueOf(x, name)), name).toBe(true);
    }
    expect(valueOf(x, "MissingSpendCount")).toBe(5);
  });

  it("reads booleans case-insensitively and numbers from strings", () => {
    const x = buildFeatureVector({ ...canary0257, context: { ...canary0257.context, CryoSleep: "True", VIP: "FALSE", Age: "27.0" } });
    expect(valueOf(x, "CryoSleep")).toBe(1);
    expect(valueOf(x, "VIP")).toBe(0);
    expect(valueOf(x, "Age")).toBe(27);
  });

  it("rejects bad input naming the field, never coercing it", () => {
    const bad = (change: Partial<ScorerRecord>) => () => buildFeatureVector({ ...canary0257, ...change });
    expect(bad({ spend: { ...canary0257.spend, Spa: -1 } })).toThrow(/spend\.Spa/);
    expect(bad({ spend: { ...canary0257.spend, Spa: NaN } })).toThrow(ScorerInputError);
    const { VRDeck: _absent, ...fourChannels } = canary0257.spend;
    expect(bad({ spend: fourChannels })).toThrow(/spend\.VRDeck: channel is absent/);
    expect(bad({ context: { ...canary0257.context, Cabin: "F-49-S" } })).toThrow(/context\.Cabin/);
    expect(bad({ context: { ...canary0257.context, CryoSleep: "maybe" } })).toThrow(/context\.CryoSleep/);
    expect(bad({ context: { ...canary0257.context, GroupSize: 0 } })).toThrow(/context\.GroupSize/);
  });
});

describe("feature → channel map", () => {
  it("maps a channel's log1p value and missing indicator to it, and nothing else", () => {
    for (const channel of SPEND_CHANNELS) {
      const features = Object.entries(FEATURE_CHANNELS)
        .filter(([, c]) => c === channel)
        .map(([name]) => name);
      expect(features).toEqual([`${channel}_log1p`, `${channel}_missing`]);
    }
    expect(FEATURE_CHANNELS.TotalSpend_log1p).toBeNull();
    expect(FEATURE_CHANNELS.MissingSpendCount).toBeNull();
    expect(Object.keys(FEATURE_CHANNELS)).toEqual([...FEATURE_NAMES]);
  });
});

describe("group sizes", () => {
  it("counts rows sharing the gggg prefix and fills only absent GroupSize", () => {
    const records = ["0003_01", "0003_02", "0004_01", "odd-id"].map(
      (recordId): ScorerRecord => ({ recordId, spend: {}, context: recordId === "0004_01" ? { GroupSize: 3 } : {} }),
    );
    expect(groupOf("0003_02")).toBe("0003");
    expect(groupOf("odd-id")).toBe("odd-id");
    expect([...groupSizes(records)]).toEqual([
      ["0003", 2],
      ["0004", 1],
      ["odd-id", 1],
    ]);
    expect(withGroupSizes(records).map((r) => r.context.GroupSize)).toEqual([2, 2, 3, 1]);
  });
});
