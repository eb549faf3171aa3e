#!/usr/bin/env node
/**
 * Makes package-lock.json acceptable to `npm ci` where the registry serves only this
 * platform's native packages. npm 11 then leaves the other platforms' optional packages
 * (@next/swc-darwin-arm64, @tailwindcss/oxide-win32-x64-msvc, …) out of the lockfile, and
 * `npm ci` refuses it as "Missing: … from lock file" (npm/cli#9846). This adds an entry with
 * the pinned version for each such package; `npm ci` then skips any it cannot fetch, as it
 * does for every optional package. Run it after `npm install` changes the lockfile.
 */
import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;
const added = [];
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (packages[`node_modules/${name}`] || packages[`${location}/node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added.push(`${name}@${version}`);
  }
}
if (process.argv.includes("--check")) {
  if (added.length) {
    console.error(`package-lock.json lacks ${added.length} optional platform package(s): run node scripts/complete-lockfile.mjs`);
    process.exit(1);
  }
} else {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
  fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
  console.log(added.length ? `added ${added.length}: ${added.join(", ")}` : "package-lock.json is complete");
}
