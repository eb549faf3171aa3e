import { describe, expect, it } from "vitest";
import { findingsOf, unexplained } from "./audit";

const report = {
  vulnerabilities: {
    "some-lib": { via: [{ source: 1, url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", title: "Prototype pollution", severity: "high" }] },
    "depends-on-it": { via: ["some-lib"] },
  },
};

describe("npm audit gate", () => {
  it("reads each advisory once, not the packages that merely depend on it", () => {
    expect(findingsOf(report)).toEqual([{ package: "some-lib", id: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", title: "Prototype pollution", severity: "high" }]);
  });

  it("fails on an advisory the allow-list does not name, passes on one it explains", () => {
    const findings = findingsOf(report);
    expect(unexplained(findings, { advisories: [] })).toHaveLength(1);
    const allowed = { advisories: [{ id: "GHSA-aaaa-bbbb-cccc", package: "some-lib", reason: "only reached from the build, never at run time", reviewed: "2026-12-06" }] };
    expect(unexplained(findings, allowed)).toEqual([]);
    expect(unexplained(findings, { advisories: [{ ...allowed.advisories[0]!, package: "other-lib" }] })).toHaveLength(1);
  });
});
