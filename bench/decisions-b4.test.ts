/**
 * B4's harness leaves nothing running when it is interrupted: started for real, signalled
 * (SIGINT, as ^C sends) once the console it started answers, it ends, and afterwards no
 * process it started is alive, its port is closed and its database is gone.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { expect, it } from "vitest";

const PORT = 3531;
const serverUrl = (() => {
  const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = "/postgres";
  return url.toString();
})();

/** Every process below `root` now (children, grandchildren, …), from ps. */
function descendants(root: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [pid, ppid] of rows) {
      if (ppid !== parent || found.includes(pid)) continue;
      found.push(pid);
      frontier.push(pid);
    }
  }
  return found;
}

/** Running: the pid exists and is not a zombie (an exited process its parent has not reaped yet). */
const alive = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
};

it("stops every process it started and drops its database on SIGINT while its console is up", async () => {
  // As `npm run bench:decisions` runs it: one node process with tsx as its loader.
  const bench = spawn(process.execPath, ["--import", "tsx", "bench/decisions-b4.ts", "--port", String(PORT), "--database-url", serverUrl], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  bench.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => bench.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
  try {
    // Up: the console answers on the bench's port.
    for (let i = 0; ; i++) {
      if (await fetch(`http://127.0.0.1:${PORT}/api/health`).then((r) => r.ok, () => false)) break;
      if (bench.exitCode !== null) throw new Error(`the bench ended first:\n${stderr}`);
      if (i > 1200) throw new Error(`the console never answered:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const started = descendants(bench.pid!);
    // start.ts and its web server at least.
    expect(started.length).toBeGreaterThanOrEqual(2);
    bench.kill("SIGINT");
    const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 60_000))]);
    expect(code).not.toBe("hung");
    await new Promise((r) => setTimeout(r, 500));
    expect(started.filter(alive)).toEqual([]);
    expect(await fetch(`http://127.0.0.1:${PORT}/api/health`).then(() => "answered", () => "closed")).toBe("closed");
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const left = (await admin.query("SELECT datname FROM pg_database WHERE datname = 'sentinel_bench_b4'")).rows;
    await admin.end();
    expect(left).toEqual([]);
  } finally {
    if (bench.exitCode === null) bench.kill("SIGKILL");
  }
}, 900_000);
