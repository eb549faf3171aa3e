import { describe, expect, it } from "vitest";
import { ROLES } from "./auth/permissions";
import { homeFor, navigationFor, subjectHref } from "./navigation";

describe("navigation by role", () => {
  it("shows the admin section to admins only", () => {
    for (const role of ROLES) {
      const labels = navigationFor(role).map((s) => s.label);
      expect(labels.includes("Admin")).toBe(role === "admin");
    }
  });

  it("lands each role on a page of its own navigation", () => {
    for (const role of ROLES) {
      const hrefs = navigationFor(role).flatMap((s) => s.items.map((i) => i.href));
      expect(hrefs).toContain(homeFor(role));
    }
  });
});

describe("the Review section", () => {
  it("lists the audit queue for the roles that read it, first, and lands them there", () => {
    for (const role of ROLES) {
      const canRead = ["analyst", "lead", "governance"].includes(role);
      expect(navigationFor(role).some((s) => s.items.some((i) => i.href === "/queue"))).toBe(canRead);
      if (canRead) expect(homeFor(role)).toBe("/queue");
    }
  });
});

describe("the Governance section", () => {
  it("lists routing health, the override register, slice KPIs and the event pipeline for governance and managers, and lands a manager on routing health", () => {
    for (const role of ROLES) {
      const hrefs = navigationFor(role).flatMap((s) => s.items.map((i) => i.href));
      expect(hrefs.includes("/governance/routing")).toBe(role === "governance" || role === "manager");
      expect(hrefs.includes("/governance/overrides")).toBe(role === "governance" || role === "manager");
      expect(hrefs.includes("/governance/slices")).toBe(role === "governance" || role === "manager");
      expect(hrefs.includes("/governance/events")).toBe(role === "governance" || role === "manager");
    }
    expect(homeFor("manager")).toBe("/governance/routing");
  });
});

describe("subject links", () => {
  it("send each edit-log subject with a page to it, and the rest nowhere", () => {
    expect(subjectHref("record", "0254_01")).toBe("/queue/0254_01");
    expect(subjectHref("batch", "demo-001")).toBe("/queue?batch=demo-001");
    expect(subjectHref("event", "E 1")).toBe("/events/E%201");
    expect(subjectHref("report", "r/1")).toBe("/events/reports/r%2F1");
    expect(subjectHref("policy", "p")).toBeNull();
  });
});
