/**
 * The start script's watch on its embedded server: `ensureDatabaseUrl` reports a postmaster
 * that dies without being stopped (scripts/start.ts then exits non-zero so a supervisor
 * restarts everything), and never one that was stopped on purpose.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabaseUrl } from "./database-url";
import { embeddedRuntimeDir, findRunningEmbeddedServer } from "./embedded/server";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-watch-"));
const saved = { data: process.env.SENTINEL_DATA_DIR, url: process.env.DATABASE_URL };

let runtimeDir = "";

afterAll(() => {
  // As root the cluster lives in a runtime folder the postgres user can reach (private-server.ts does the same).
  if (runtimeDir) fs.rmSync(runtimeDir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  process.env.SENTINEL_DATA_DIR = saved.data;
  process.env.DATABASE_URL = saved.url;
  if (saved.data === undefined) delete process.env.SENTINEL_DATA_DIR;
  if (saved.url === undefined) delete process.env.DATABASE_URL;
});

const settledWithin = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe("the embedded server's watch", () => {
  it("reports a postmaster killed under it, and not one stopped on purpose", async () => {
    process.env.SENTINEL_DATA_DIR = path.join(tmp, "data");
    delete process.env.DATABASE_URL;
    if (process.getuid?.() === 0) runtimeDir = embeddedRuntimeDir();

    const stopped = await ensureDatabaseUrl({ startedBy: "cli" });
    expect(stopped.died).toBeDefined();
    await stopped.release();
    expect(await settledWithin(stopped.died!, 1500)).toBe(false);

    const killed = await ensureDatabaseUrl({ startedBy: "cli" });
    const pid = findRunningEmbeddedServer()!.pid;
    process.kill(pid, "SIGKILL");
    expect(await settledWithin(killed.died!, 10_000)).toBe(true);
    await killed.release();
  }, 120_000);
});
