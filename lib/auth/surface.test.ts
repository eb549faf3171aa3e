import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "./permissions";
import { ACTION_SURFACE, ROUTE_SURFACE, UNGUARDED_ROUTES } from "./surface";

function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p, name) : d.name === name ? [p] : [];
  });
}

describe("the authorization surface", () => {
  it("names every exported server action", () => {
    const exported = fs
      .readdirSync("lib/actions")
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => fs.readFileSync(path.join("lib/actions", f), "utf8"))
      // Every export of a "use server" file is an action the browser can call.
      .filter((source) => /^["']use server["']/.test(source.trimStart()))
      .flatMap((source) => [...source.matchAll(/export async function (\w+)\b/g)].map((m) => m[1]!));
    expect(exported.length).toBeGreaterThan(15);
    expect(ACTION_SURFACE.map((a) => a.action).sort()).toEqual([...exported].sort());
  });

  it("names every route handler, or says why it has nothing to guard", () => {
    const routes = files("app", "route.ts").sort();
    const named = [...ROUTE_SURFACE.map((r) => r.file), ...Object.keys(UNGUARDED_ROUTES)];
    expect([...new Set(named)].sort()).toEqual(routes);
  });

  it("uses only permissions the map defines", () => {
    for (const entry of [...ACTION_SURFACE, ...ROUTE_SURFACE]) {
      if (entry.guard.kind === "permission") expect(Object.keys(PERMISSIONS)).toContain(entry.guard.permission);
    }
  });
});
