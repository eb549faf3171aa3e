/**
 * Process and record-file helpers of the embedded server and the app lock: is a pid alive
 * (not a zombie), still the same process (its /proc start time), a postmaster of a given
 * folder, a Node process; waiting; JSON records written atomically.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

function procStat(pid: number): { state: string; startTime: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may contain spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0] ?? "?", startTime: Number(rest[19]) };
  } catch {
    return null;
  }
}

/** Start time of a process (clock ticks since boot), or null where /proc is unavailable. */
export function processStartTime(pid: number): number | null {
  return procStat(pid)?.startTime ?? null;
}

/** Alive = exists and is not a zombie (an orphan reparented to a pid 1 that never reaps). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(pid);
  return !stat || stat.state !== "Z";
}

function cmdline(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

export function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Is `pid` a postmaster whose `-D` is `dir`? Without /proc, trusts postmaster.pid. */
export function isPostgresFor(pid: number, dir: string): boolean {
  const argv = cmdline(pid);
  if (argv === null) return !fs.existsSync("/proc/self");
  if (argv.length === 0 || path.basename(argv[0]!) !== "postgres") return false;
  const d = argv.indexOf("-D");
  const arg = d >= 0 ? argv[d + 1] : argv.find((a) => a.startsWith("-D") && a.length > 2)?.slice(2);
  return arg !== undefined && realpathOr(arg) === realpathOr(dir);
}

function isNodeProcess(pid: number): boolean {
  if (pid === process.pid) return true;
  let comm: string | null = null;
  try {
    comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return !fs.existsSync("/proc/self"); // no /proc: cannot tell, assume it is
  }
  if (/node|tsx|next/i.test(comm)) return true;
  const argv0 = cmdline(pid)?.[0];
  if (argv0 && /node|tsx/i.test(path.basename(argv0))) return true;
  try {
    return fs.realpathSync(`/proc/${pid}/exe`) === fs.realpathSync(process.execPath);
  } catch {
    return false;
  }
}

/** A recorded process still running as the same process (pid not reused). */
export function isSameLiveNodeProcess(pid: number, startTime: number | null | undefined): boolean {
  if (!isProcessAlive(pid) || !isNodeProcess(pid)) return false;
  if (startTime == null) return true;
  const now = processStartTime(pid);
  return now === null || now === startTime;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isProcessAlive(pid)) return true;
    await sleep(50);
  }
  return !isProcessAlive(pid);
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n", { mode: 0o644 });
  fs.renameSync(tmp, file);
}
