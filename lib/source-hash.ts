import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.ts", "proxy.ts", "instrumentation.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

/** A hash of everything the production build is made from, to tell a stale build from a current one. */
function sourceHash(root = process.cwd()): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name.endsWith(".test.ts") || name.endsWith(".test.tsx")) continue;
        walk(path.join(p, name));
      }
    } else {
      hash.update(path.relative(root, p)).update("\0").update(fs.readFileSync(p)).update("\0");
    }
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return hash.digest("hex");
}

const BUILD_STAMP = ".next/sentinel-source-hash";

export function buildIsCurrent(root = process.cwd()): boolean {
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) return false;
  const stamp = fs.readFileSync(path.join(root, BUILD_STAMP), { encoding: "utf8", flag: "a+" }).trim();
  return stamp === sourceHash(root);
}

export function stampBuild(root = process.cwd()): void {
  fs.writeFileSync(path.join(root, BUILD_STAMP), sourceHash(root) + "\n");
}
