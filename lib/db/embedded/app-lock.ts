/**
 * Single app instance: `.data/app.lock` (exclusive create) names the `npm start` process
 * holding it and the web server it spawned, so a second start is refused and a start after
 * a `kill -9` takes the stale lock over (stopping the orphaned web server).
 */
import fs from "node:fs";
import path from "node:path";
import { dataPath } from "../../paths";
import { isProcessAlive, isSameLiveNodeProcess, processStartTime, readJson, sleepSync, writeJsonAtomic } from "./process";

type AppLockRecord = {
  pid: number;
  port?: number;
  startedAt: string;
  pidStartTime?: number | null;
  /** The web server process `npm start` spawned, so a start after a `kill -9` can stop it. */
  webServerPid?: number;
  webServerStartTime?: number | null;
};

/**
 * After a `kill -9` of `npm start`, the web server it spawned lives on and holds the port.
 * Stop it (SIGTERM, then SIGKILL) when the stale lock names it and it is still that process.
 */
function stopOrphanedWebServer(record: AppLockRecord): void {
  const pid = record.webServerPid;
  if (!pid || !isSameLiveNodeProcess(pid, record.webServerStartTime)) return;
  try {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50 && isProcessAlive(pid); i++) sleepSync(100);
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export class AppAlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    readonly port?: number,
  ) {
    super(
      `Sentinel Review is already running (pid ${pid}) — stop it first` +
        (port ? ` (it serves http://localhost:${port}; Ctrl+C in its terminal, or kill ${pid}).` : ` (Ctrl+C in its terminal, or kill ${pid}).`),
    );
    this.name = "AppAlreadyRunningError";
  }
}

function appLockFile(): string {
  return dataPath("app.lock");
}

function ownsLock(record: AppLockRecord | null): record is AppLockRecord {
  return !!record && record.pid === process.pid;
}

/**
 * Takes `.data/app.lock` (exclusive create). A lock held by a live node process throws
 * AppAlreadyRunningError; a stale one (dead or reused pid) is taken over.
 */
export function acquireAppLock(): { release(): void } {
  const file = appLockFile();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 20; attempt++) {
    const record: AppLockRecord = { pid: process.pid, startedAt: new Date().toISOString(), pidStartTime: processStartTime(process.pid) };
    try {
      fs.writeFileSync(file, JSON.stringify(record) + "\n", { flag: "wx", mode: 0o644 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        if (ownsLock(readJson<AppLockRecord>(file))) fs.rmSync(file, { force: true });
      };
      process.on("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const existing = readJson<AppLockRecord>(file);
    if (existing && typeof existing.pid === "number") {
      if (isSameLiveNodeProcess(existing.pid, existing.pidStartTime)) throw new AppAlreadyRunningError(existing.pid, existing.port);
    } else {
      // Unreadable: possibly being written right now by another start.
      let age = Infinity;
      try {
        age = Date.now() - fs.statSync(file).mtimeMs;
      } catch {
        continue; // gone meanwhile
      }
      if (age < 2_000) {
        sleepSync(100);
        continue;
      }
    }
    if (existing) stopOrphanedWebServer(existing);
    fs.rmSync(file, { force: true }); // stale: take it over
  }
  throw new Error(`Could not take ${file}: another start keeps recreating it.`);
}

/** Adds details (the web port, the web server's pid) to the lock this process holds. */
export function updateAppLock(update: { port?: number; webServerPid?: number }): void {
  const file = appLockFile();
  const current = readJson<AppLockRecord>(file);
  if (!ownsLock(current)) return;
  const webServer = update.webServerPid ? { webServerStartTime: processStartTime(update.webServerPid) } : {};
  writeJsonAtomic(file, { ...current, ...update, ...webServer });
}
