/**
 * `npm start`: one command from a fresh clone to a working console.
 * Database (DATABASE_URL, else the embedded PostgreSQL server) → migrations → first-run
 * seed → production build when missing or stale → `next start` on PORT.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { parseCli } from "@/lib/cli/options";
import { appLoginAdvice, appLoginProblems } from "@/lib/db/app-login";
import { createPrismaClient } from "@/lib/db/client";
import { ensureDatabaseUrl } from "@/lib/db/database-url";
import { acquireAppLock, updateAppLock } from "@/lib/db/embedded/app-lock";
import { deployMigrations } from "@/lib/db/migrate";
import { decideDemo, demoAccountsRefusal } from "@/lib/demo-mode";
import { loadEnv } from "@/lib/env";
import { registerSigningKey } from "@/lib/data/checkpoints";
import { setDatabase } from "@/lib/data/db";
import { activeDemoAccounts, listUserEmails } from "@/lib/data/users";
import { localSecret } from "@/lib/secrets";
import { buildIsCurrent, stampBuild } from "@/lib/source-hash";
import { DEMO_USERS } from "@/prisma/demo-users";
import { runFirstRunSeed } from "@/prisma/seed";
import { activePolicy } from "@/lib/data/policies";
import { registerOwnModelCards } from "@/lib/data/model-cards";
import { OPERATOR } from "@/lib/auth/actor";
import { readOwnModelCards } from "@/lib/reference-data";

const HELP = `Usage: npm start [-- --dev]

Starts Sentinel Review on http://localhost:$PORT (default 3000), listening on HOST
(default 127.0.0.1, this machine only; HOST=0.0.0.0 for every interface).
  Database: DATABASE_URL when set, else an embedded PostgreSQL 15 server (data in .data/pg).
  Applies migrations, seeds the demo on first run (SENTINEL_DEMO=off to skip; never with
  NODE_ENV=production or SENTINEL_STRICT=1), builds when no current production build
  exists, then serves. Ctrl+C stops the app and the database.

Options:
  --dev     serve with \`next dev\` (hot reload) instead of a production build
  --help    show this help
`;

const say = (msg: string) => console.log(`[sentinel] ${msg}`);

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Where this machine reaches a server listening on `host` (a wildcard is reached on loopback). */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function waitForReady(host: string, port: number, child: ChildProcess, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && child.exitCode === null) {
    try {
      const res = await fetch(`http://${probeHost(host)}:${port}/api/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  const started = Date.now();
  const values = parseCli({ dev: { type: "boolean" } }, HELP);
  if (!values) return;
  const env = loadEnv();
  // Decided from the environment the user gave `npm start` (next start sets its own NODE_ENV).
  const demoMode = decideDemo({ nodeEnv: env.NODE_ENV, strict: env.SENTINEL_STRICT, demo: env.SENTINEL_DEMO });
  if (!demoMode.ok) throw new Error(demoMode.error);

  const lock = acquireAppLock();
  if (!(await portIsFree(env.PORT, env.HOST))) {
    lock.release();
    throw new Error(`Port ${env.PORT} is already in use. Stop what is using it, or choose another: PORT=${env.PORT + 1} npm start`);
  }
  updateAppLock({ port: env.PORT });

  const database = await ensureDatabaseUrl({ log: say, startedBy: "app" });
  const where = new URL(database.url);
  say(
    database.source === "embedded"
      ? `Database: embedded PostgreSQL server on 127.0.0.1:${where.port} (data in .data/pg)`
      : `Database: DATABASE_URL → ${where.hostname}:${where.port || 5432}${where.pathname}`,
  );

  let child: ChildProcess | null = null;
  let stopping = false;
  // The embedded server dying takes the console down with a non-zero exit, so whatever
  // supervises `npm start` restarts the whole thing instead of a console without a database.
  void database.died?.then(() => {
    if (stopping) return;
    say("The embedded PostgreSQL server exited unexpectedly: stopping (exit code 1) so a supervisor restarts everything.");
    void shutdown(1);
  });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    await database.release();
    lock.release();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      say(`${signal}: stopping`);
      void shutdown(0);
    });
  }

  try {
    const applied = await deployMigrations(database.ownerUrl, { log: say });
    say(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Migrations: up to date");
    // Tree heads are accepted only from registered keys; only the owner registers one.
    await registerSigningKey(database.ownerUrl);
    // The app's login must not be able to rewrite the edit log (lib/db/app-login.ts).
    const problems = await appLoginProblems(database.url);
    if (problems) {
      if (env.SENTINEL_STRICT === "1") throw new Error(appLoginAdvice(problems));
      say(`Warning: ${appLoginAdvice(problems)} (SENTINEL_STRICT=1 refuses to start like this.)`);
    }

    const handle = createPrismaClient(database.url, { max: 2 });
    setDatabase(handle);
    if (demoMode.locked) {
      const leftovers = await activeDemoAccounts();
      if (leftovers.length > 0) {
        await handle.close();
        throw new Error(demoAccountsRefusal(leftovers, demoMode.reason));
      }
    }
    const outcome = await runFirstRunSeed({ demo: demoMode.demo });
    // Activates the committed default policy when no policy is active yet (first start).
    const policy = await activePolicy();
    // The cards of the console's own models that calibration wrote and this database lacks.
    const cards = await registerOwnModelCards(OPERATOR, readOwnModelCards());
    const emails = new Set(await listUserEmails());
    await handle.close();
    if (outcome === "seeded-demo") say("First run: demo data seeded.");
    for (const c of cards) say(`Model card registered: ${c.card.model} ${c.card.version} (${c.card.status})`);
    say(`Active policy: ${policy.snapshot.id} (sha256 ${policy.hash.slice(0, 12)}…)`);
    if (outcome === "no-demo") say("First run without demo data: create an administrator with `npm run admin -- user:create --email you@example.com --role admin --password-stdin`.");
    const demo = DEMO_USERS.filter((u) => emails.has(u.email));
    if (demo.length > 0) {
      say("Demo sign-ins (change or deactivate them in a real deployment):");
      for (const u of demo) say(`  ${u.role.padEnd(10)} ${u.email.padEnd(24)} ${u.password}`);
    }

    const nextauthSecret =
      env.NEXTAUTH_SECRET ??
      localSecret("nextauthSecret", (_key, file) => say(`Warning: NEXTAUTH_SECRET is not set; using a generated one kept in ${file}.`));
    // The web server gets the app's login only: the owner's URL stays with the migrations.
    const { DATABASE_OWNER_URL: _ownerUrl, ...inherited } = process.env;
    const childEnv: NodeJS.ProcessEnv = {
      ...inherited,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: nextauthSecret,
      NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`,
      NEXT_TELEMETRY_DISABLED: "1",
      // Resolved here: the web server runs with NODE_ENV=production whatever the user set.
      SENTINEL_DEMO: demoMode.demo ? "on" : "off",
      TRUSTED_PROXY_HOPS: String(env.TRUSTED_PROXY_HOPS),
    };
    const nextBin = "node_modules/next/dist/bin/next";

    if (!values.dev && !buildIsCurrent()) {
      say("Building the production bundle (first start, or the sources changed)…");
      const code = await run(process.execPath, [nextBin, "build"], { ...childEnv, NODE_ENV: "production" });
      if (code !== 0) throw new Error("The production build failed (see above).");
      stampBuild();
    }

    // scripts/serve.mjs: Next's handler behind a server that takes the client's address from
    // the connection (or TRUSTED_PROXY_HOPS proxies), never from a header the client wrote.
    child = spawn(process.execPath, ["scripts/serve.mjs", "--port", String(env.PORT), "--host", env.HOST, ...(values.dev ? ["--dev"] : [])], {
      stdio: "inherit",
      env: { ...childEnv, NODE_ENV: values.dev ? "development" : "production" },
    });
    if (child.pid) updateAppLock({ webServerPid: child.pid });
    child.on("exit", (code) => {
      if (!stopping) {
        say(`The web server exited (code ${code ?? "?"}).`);
        void shutdown(code ?? 1);
      }
    });
    if (await waitForReady(env.HOST, env.PORT, child)) {
      const host = probeHost(env.HOST);
      say(`Ready: http://${host === "127.0.0.1" ? "localhost" : host}:${env.PORT} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      say(
        env.HOST === "127.0.0.1"
          ? "Listening on 127.0.0.1 only (this machine); HOST=0.0.0.0 npm start listens on every interface."
          : `Listening on ${env.HOST} (HOST).`,
      );
    }
  } catch (error) {
    console.error(`[sentinel] ${(error as Error).message}`);
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  // EnvError and AppAlreadyRunningError carry the whole explanation in their message.
  console.error(`[sentinel] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
