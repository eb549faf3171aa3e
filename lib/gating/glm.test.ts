import { describe, expect, it } from "vitest";
import { assessRecord } from "./assess";
import { compilePolicy } from "./compiled-policy";
import { gateBatch } from "./gate-batch";
import { featurizeGlm, predictGlm } from "./glm";
import { glmContextText } from "./glm-features";
import { sigmoid } from "./numeric";
import { referenceRow, scoredFromRow, snapshotWith } from "./reference-data.test-support";
import type { GlmCoefficients } from "./schemas";

const glm: GlmCoefficients = {
  features: [
    "spend:RoomService",
    "missing:spend:ShoppingMall",
    "flag:SUPER_DOMINANT",
    "onehot:HomePlanet=Mars",
    "missing:Cabin",
    "onehot:AgeBucket=[18,30)",
    "onehot:CabinSide=S",
    "onehot:CabinDeck=F",
    "onehot:CryoSleep=true",
    "topology:log1pTop2Sum",
    "topology:entropy",
    "spend:ShoppingMall",
  ],
  mean: [2, 0.02, 0.35, 0.2, 0.02, 0.4, 0.5, 0.3, 0.35, 4, 0.5, 2],
  scale: [3, 0.14, 0.48, 0.4, 0.14, 0.49, 0.5, 0.46, 0.48, 3, 0.4, 3],
  coef: [-0.4, 0.1, 0.3, 0.2, 0.05, -0.1, 0.15, 0.05, 1.2, -0.3, 0.2, 0.7],
  intercept: 0.1,
};

describe("§5 GLM fallback scoring", () => {
  const policy = snapshotWith({ glm });
  const compiled = compilePolicy(policy);
  const row = referenceRow("0257_01"); // Mars, 55 Cancri e, F/49/S, age 21, RoomService 1664, ShoppingMall NaN

  it("featurizes by the grammar: winsorised log1p spends, indicators, one-hots, derived cabin and age keys", () => {
    const a = assessRecord(row, compiled);
    const x = featurizeGlm(compiled.glm!, row.spend, row.context, a.topology, a.flagMask);
    const q995 = policy.statistics.global.channels.RoomService?.qOutlier as number;
    expect(q995).toBeGreaterThan(1664);
    expect(Array.from(x.slice(0, 11))).toEqual([Math.log1p(1664), 1, 1, 1, 0, 1, 1, 1, 0, Math.log1p(1664), 0]);
    expect(Number.isNaN(x[11])).toBe(true); // missing input: no value (scored at its mean)
  });

  it("winsorises spends at the global outlier quantile", () => {
    const a = assessRecord({ spend: { ...row.spend, RoomService: 1e7 }, context: row.context }, compiled);
    const x = featurizeGlm(compiled.glm!, { ...row.spend, RoomService: 1e7 }, row.context, a.topology, a.flagMask);
    expect(x[0]).toBeCloseTo(Math.log1p(policy.statistics.global.channels.RoomService?.qOutlier as number), 12);
  });

  it("pGlm = σ(intercept + Σ coef·(x − mean)/scale), a missing input contributing 0", () => {
    const a = assessRecord(row, compiled);
    const x = featurizeGlm(compiled.glm!, row.spend, row.context, a.topology, a.flagMask);
    let z = glm.intercept;
    x.forEach((v, i) => {
      if (!Number.isNaN(v)) z += ((glm.coef[i] as number) * (v - (glm.mean[i] as number))) / (glm.scale[i] as number);
    });
    expect(predictGlm(compiled.glm!, row.spend, row.context, a.topology, a.flagMask)).toBeCloseTo(sigmoid(z), 14);
  });

  it("gateBatch fills a missing pGlm from the snapshot's GLM and leaves an upstream one alone", () => {
    const filled = gateBatch([scoredFromRow(row, { pModel: 0.8 })], policy, { batchId: "g", now: "t" }).results[0];
    expect(filled?.pGlm).not.toBeNull();
    expect(filled?.provenance.pGlmSource).toBe("snapshotGlm");
    const sent = gateBatch([scoredFromRow(row, { pModel: 0.8, pGlm: 0.33 })], policy, { batchId: "g", now: "t" }).results[0];
    expect(sent?.pGlm).toBe(0.33);
    expect(sent?.provenance.pGlmSource).toBe("upstream");
    const none = gateBatch([scoredFromRow(row, { pModel: 0.8 })], snapshotWith({}), { batchId: "g", now: "t" }).results[0];
    expect(none?.pGlm).toBeNull();
    expect(none?.provenance.pGlmSource).toBeNull();
  });

  it("derived keys: malformed cabins and missing ages are missing", () => {
    expect(glmContextText({ Cabin: "B/0/P" }, "CabinDeck")).toBe("B");
    expect(glmContextText({ Cabin: "B/0/P" }, "CabinSide")).toBe("P");
    expect(glmContextText({ Cabin: "B0P" }, "CabinDeck")).toBeNull();
    expect(glmContextText({ Age: 13 }, "AgeBucket")).toBe("[13,18)");
    expect(glmContextText({ Age: 50 }, "AgeBucket")).toBe("[50,inf)");
    expect(glmContextText({ Age: null }, "AgeBucket")).toBeNull();
    expect(glmContextText({ VIP: false }, "VIP")).toBe("false");
  });

  it("reads a boolean sent as text as the boolean's level, as the flags do", () => {
    for (const v of ["True", "TRUE", " true ", true]) expect(glmContextText({ CryoSleep: v }, "CryoSleep")).toBe("true");
    for (const v of ["False", "false", false]) expect(glmContextText({ CryoSleep: v }, "CryoSleep")).toBe("false");
    expect(glmContextText({ HomePlanet: "Earth" }, "HomePlanet")).toBe("Earth");
  });
});
