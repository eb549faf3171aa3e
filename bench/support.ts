/**
 * What the database benchmarks share: their own database on a PostgreSQL server (created
 * fresh, migrated, installed as the data layer's database, dropped at the end).
 */
import pg from "pg";
import { appLoginUrl } from "@/lib/db/app-login";
import { createPrismaClient, type DatabaseHandle } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrate";
import { registerSigningKey } from "@/lib/data/checkpoints";
import { setDatabase } from "@/lib/data/db";

export const DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  handle: DatabaseHandle;
  /** the URL's own user (owner of the tables): VACUUM, bulk fixtures */
  owner: pg.Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string, name: string, poolSize: number): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await deployMigrations(url.toString());
  await registerSigningKey(url.toString());
  const handle = createPrismaClient(appLoginUrl(url.toString()), { max: poolSize });
  setDatabase(handle);
  const owner = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // Dropping the database ends idle connections; unhandled, that error would end the run before its figures.
  owner.on("error", () => {});
  return {
    url: url.toString(),
    handle,
    owner,
    async drop() {
      await handle.close().catch(() => undefined);
      await owner.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Everything a benchmark must undo when it is interrupted (its servers, its databases), run
 * once, newest first, by one handler for SIGINT, SIGTERM and an uncaught error — then the
 * process exits. One handler, so no cleanup's exit cuts another short.
 */
const cleanups: (() => Promise<void>)[] = [];
let shutdownInstalled = false;

export function atShutdown(cleanup: () => Promise<void>): () => void {
  cleanups.push(cleanup);
  if (!shutdownInstalled) {
    shutdownInstalled = true;
    let shuttingDown = false;
    // A second signal (a wrapper relaying the first, an impatient ^C) must not cut the cleanup short.
    const shutdown = (code: number, error?: unknown) => {
      if (error !== undefined) console.error(error);
      if (shuttingDown) return;
      shuttingDown = true;
      void (async () => {
        for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
      })().finally(() => process.exit(code));
    };
    process.on("SIGINT", () => shutdown(130));
    process.on("SIGTERM", () => shutdown(143));
    process.on("uncaughtException", (error) => shutdown(1, error));
    process.on("unhandledRejection", (error) => shutdown(1, error));
  }
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/**
 * The database's drop, made safe to call twice and run on SIGINT/SIGTERM (then exit), so an
 * interrupted benchmark leaves no database behind.
 */
export function dropOnSignal(database: BenchDatabase): () => Promise<void> {
  let dropping: Promise<void> | null = null;
  // Every caller waits for the one drop (a second call must not return before it is done).
  const drop = () => (dropping ??= (forget(), database.drop().catch(() => undefined)));
  const forget = atShutdown(drop);
  return drop;
}

/**
 * Starts the console (`scripts/start.ts`: migrations, seed, build when stale, web server)
 * in its own process group and stops the whole group on `stop()`, on exit, on an uncaught
 * error and on SIGINT/SIGTERM, so no web server outlives the benchmark that started it.
 */
export async function startConsole(options: { databaseUrl: string; port: number; demo: boolean; dataDir: string }): Promise<{ base: string; stop(): Promise<void> }> {
  const base = `http://127.0.0.1:${options.port}`;
  const server = await startServerGroup({
    what: "the console",
    // One process (tsx as a loader, not its runner): a signal reaches start.ts itself, never
    // through a relay that kills a child slow to acknowledge it.
    args: ["--import", "tsx", "scripts/start.ts"],
    env: {
      DATABASE_URL: appLoginUrl(options.databaseUrl),
      DATABASE_OWNER_URL: options.databaseUrl,
      PORT: String(options.port),
      SENTINEL_DEMO: options.demo ? "on" : "off",
      LOG_LEVEL: "warn",
      SENTINEL_DATA_DIR: options.dataDir,
      NEXTAUTH_URL: base,
    },
    readyUrl: `${base}/api/health/ready`,
  });
  return { base, stop: server.stop };
}

/**
 * Runs `node <args>` in its own process group until `readyUrl` answers 2xx, and stops the
 * whole group on `stop()`, on exit, on an uncaught error and on SIGINT/SIGTERM.
 */
export async function startServerGroup(options: { what: string; args: string[]; env: Record<string, string>; readyUrl: string }): Promise<{ stop(): Promise<void> }> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, options.args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "ignore", "inherit"], detached: true });
  // The whole group, not only the child: the child (tsx's runner) can end while the console
  // under it is still shutting down, and nothing of the group may outlive the benchmark.
  const killGroup = (signal: NodeJS.Signals | 0): boolean => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // no process of the group is left
    }
  };
  const groupEnded = async (ms: number) => {
    for (const until = Date.now() + ms; killGroup(0) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
  };
  /** SIGTERM to the group, up to 10 s for all of it to end, then SIGKILL for what is left. */
  const stopGroup = async () => {
    killGroup("SIGTERM");
    await groupEnded(10_000);
    killGroup("SIGKILL");
    await groupEnded(2_000);
  };
  // A plain exit cannot wait: the group is killed outright. A signal or an error waits for it to end.
  const onExit = () => killGroup("SIGKILL");
  process.on("exit", onExit);
  const forget = atShutdown(stopGroup);

  for (let i = 0; ; i++) {
    if (await fetch(options.readyUrl).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null) throw new Error(`${options.what} exited (code ${child.exitCode}) before it was ready`);
    if (i > 1200) {
      await stopGroup();
      throw new Error(`${options.what} did not become ready in 10 minutes`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    async stop() {
      await stopGroup();
      process.off("exit", onExit);
      forget();
    },
  };
}

/** next-auth credentials sign-in over fetch; the session cookie as `name=value`. */
export async function signInCookie(base: string, email: string, password: string): Promise<{ name: string; value: string }> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  const session = res.headers.getSetCookie().find((c) => c.includes("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  const [name, ...rest] = session.split(";")[0]!.split("=");
  return { name: name!, value: rest.join("=") };
}
