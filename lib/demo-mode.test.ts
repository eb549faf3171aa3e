import { describe, expect, it } from "vitest";
import { decideDemo, demoAccountsRefusal, type DemoSetting } from "./demo-mode";

const SETTINGS: DemoSetting[] = ["auto", "on", "off"];

describe("decideDemo", () => {
  it("the two-command start (nothing set) keeps its demo", () => {
    expect(decideDemo({ nodeEnv: undefined, strict: "0", demo: "auto" })).toEqual({ ok: true, demo: true, locked: false, reason: "" });
    expect(decideDemo({ nodeEnv: "development", strict: "0", demo: "auto" })).toMatchObject({ ok: true, demo: true });
    expect(decideDemo({ nodeEnv: "test", strict: "0", demo: "on" })).toMatchObject({ ok: true, demo: true });
    expect(decideDemo({ nodeEnv: undefined, strict: "0", demo: "off" })).toMatchObject({ ok: true, demo: false, locked: false });
  });

  it("never creates demo accounts with NODE_ENV=production or SENTINEL_STRICT=1", () => {
    for (const [nodeEnv, strict] of [["production", "0"], ["development", "1"], [undefined, "1"], ["production", "1"]] as const) {
      for (const demo of SETTINGS) {
        const decision = decideDemo({ nodeEnv, strict, demo });
        if (decision.ok) expect(decision).toMatchObject({ demo: false, locked: true });
        else expect(demo).toBe("on");
      }
    }
  });

  it("refuses SENTINEL_DEMO=on there, naming the setting and the rule", () => {
    const production = decideDemo({ nodeEnv: "production", strict: "0", demo: "on" });
    expect(production.ok).toBe(false);
    if (production.ok) return;
    expect(production.error).toContain("SENTINEL_DEMO=on is not allowed with NODE_ENV=production");
    expect(production.error).toContain("never created when NODE_ENV=production or SENTINEL_STRICT=1");
    const both = decideDemo({ nodeEnv: "production", strict: "1", demo: "on" });
    expect(!both.ok && both.error).toContain("with NODE_ENV=production and SENTINEL_STRICT=1");
    expect(decideDemo({ nodeEnv: "production", strict: "0", demo: "auto" })).toMatchObject({ ok: true, reason: "NODE_ENV=production" });
  });

  it("says how to remove leftover demo accounts", () => {
    const message = demoAccountsRefusal(["admin@demo.local", "analyst@demo.local"], "SENTINEL_STRICT=1");
    expect(message).toContain("admin@demo.local, analyst@demo.local");
    expect(message).toContain("A start with SENTINEL_STRICT=1 refuses them");
    expect(message).toContain("npm run admin -- demo:remove");
  });
});
