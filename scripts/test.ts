/**
 * `npm test`: everything that must pass, in order — typecheck, lint, unit and integration
 * tests (Vitest, real PostgreSQL) and end-to-end tests (Playwright, Debian's Chromium,
 * against a production build). Uses DATABASE_URL's server, else the embedded one, and a
 * fresh database per suite on it. Ends with the combined pass/fail counts.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureDatabaseUrl } from "@/lib/db/database-url";
import { recreateDatabase } from "@/lib/db/scratch-database";

const HELP = `Usage: npm test [-- --only static|unit|e2e]

Runs typecheck, lint, Vitest (unit + integration against PostgreSQL) and Playwright
(end-to-end in /usr/bin/chromium). DATABASE_URL selects the PostgreSQL server; without it
the embedded server is used. Each suite gets a fresh database on that server
(sentinel_test_unit / sentinel_test_e2e, plus TEST_DATABASE_SUFFIX when set; E2E_PORT
moves the end-to-end server off port 3100).
`;

const CHROMIUM = "/usr/bin/chromium";
const say = (m: string) => console.log(`\n[test] ${m}`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing: run \`sudo apt-get install -y chromium\` (Debian's package, ${CHROMIUM}), then npm test again.`);
  }
  say("Installing Debian's chromium (needed by the end-to-end tests)…");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed: install chromium yourself (${CHROMIUM}).`);
  }
}

type Counts = { passed: number; failed: number; skipped: number };

function vitestCounts(file: string): Counts | null {
  try {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) };
  } catch {
    return null;
  }
}

function playwrightCounts(file: string): Counts | null {
  try {
    const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const only = values.only;
  if (only && !["static", "unit", "e2e"].includes(only)) throw new Error("--only must be static, unit or e2e");
  const want = (s: string) => !only || only === s;
  const bin = (name: string) => path.join("node_modules", ".bin", name);
  // Lets two checkouts test side by side on one server (e.g. TEST_DATABASE_SUFFIX=_b E2E_PORT=3101).
  const suffix = process.env.TEST_DATABASE_SUFFIX ?? "";
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-test-"));
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failures: string[] = [];
  const add = (suite: string, c: Counts | null, code: number) => {
    if (c) {
      totals.passed += c.passed;
      totals.failed += c.failed;
      totals.skipped += c.skipped;
    }
    if (code !== 0) failures.push(suite);
  };

  if (want("static")) {
    say("Typecheck (tsc --noEmit)");
    if ((await run(bin("tsc"), ["--noEmit", "-p", "."])) !== 0) failures.push("typecheck");
    say("Lint (eslint)");
    if ((await run(bin("eslint"), [".", "--max-warnings=0"])) !== 0) failures.push("lint");
  }

  if (want("unit") || want("e2e")) {
    if (want("e2e")) ensureChromium();
    const database = await ensureDatabaseUrl({ log: (m) => say(m), startedBy: "cli" });
    say(`PostgreSQL: ${database.source === "embedded" ? "embedded server" : "DATABASE_URL"}`);
    try {
      if (want("unit")) {
        // The tests get the owner's URL: they make databases and play the operator; the data
        // layer they test logs in as the app (lib/db/test-database.ts).
        const url = await recreateDatabase(database.ownerUrl, `sentinel_test_unit${suffix}`);
        say("Unit and integration tests (vitest)");
        const out = path.join(reports, "vitest.json");
        const code = await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], {
          ...process.env,
          DATABASE_URL: url,
        });
        add("vitest", vitestCounts(out), code);
      }
      if (want("e2e")) {
        const url = await recreateDatabase(database.ownerUrl, `sentinel_test_e2e${suffix}`);
        say("End-to-end tests (playwright, Chromium)");
        const out = path.join(reports, "playwright.json");
        const code = await run(bin("playwright"), ["test", "--reporter=list,json"], {
          ...process.env,
          E2E_DATABASE_URL: url,
          PLAYWRIGHT_JSON_OUTPUT_NAME: out,
        });
        add("playwright", playwrightCounts(out), code);
      }
    } finally {
      await database.release();
    }
  }

  console.log("");
  if (failures.length) console.log(`[test] FAILED: ${failures.join(", ")}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${(error as Error)?.message ?? error}`);
    process.exit(1);
  },
);
