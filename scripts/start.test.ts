import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireAppLock } from "@/lib/db/embedded/app-lock";

// These cases all stop `npm start` before it builds anything (all but the strict login
// check before it touches a database).
let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-start-"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    encoding: "utf8",
    env: { ...process.env, SENTINEL_DATA_DIR: dataDir, DATABASE_URL: "", ...env },
    timeout: 60_000,
  });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe("npm start refuses clearly", () => {
  it("a malformed setting, naming it and the rule", () => {
    const bad = start({ DATABASE_URL: "mysql://root@localhost/x" });
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("DATABASE_URL: must be a postgresql://user:password@host:port/database URL");
    const port = start({ PORT: "http" });
    expect(port.code).toBe(1);
    expect(port.output).toMatch(/PORT: /);
  });

  it("SENTINEL_DEMO=on with NODE_ENV=production or SENTINEL_STRICT=1, naming the setting and the rule", () => {
    for (const [env, reason] of [
      [{ NODE_ENV: "production" }, "NODE_ENV=production"],
      [{ SENTINEL_STRICT: "1" }, "SENTINEL_STRICT=1"],
    ] as const) {
      const r = start({ ...env, SENTINEL_DEMO: "on", PORT: "3998" });
      expect(r.code).toBe(1);
      expect(r.output).toContain(`SENTINEL_DEMO=on is not allowed with ${reason}`);
      expect(r.output).toContain("never created when NODE_ENV=production or SENTINEL_STRICT=1");
      // Refused before anything else: no lock, no database.
      expect(r.output).not.toContain("Database:");
      expect(fs.existsSync(path.join(dataDir, "app.lock"))).toBe(false);
    }
  });

  it("SENTINEL_STRICT=1 with a DATABASE_URL that logs in as a superuser, naming the problem and the fix", () => {
    // The tests' DATABASE_URL is the owner's, a superuser: the app must not log in as it.
    const r = start({ SENTINEL_STRICT: "1", DATABASE_URL: process.env.DATABASE_URL!, PORT: "3997" });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/DATABASE_URL logs in as "[^"]+", a superuser/);
    expect(r.output).toContain("DATABASE_OWNER_URL");
    expect(r.output).not.toContain("Ready:");
  });

  it("a second start while one runs", () => {
    const previous = process.env.SENTINEL_DATA_DIR;
    process.env.SENTINEL_DATA_DIR = dataDir;
    const lock = acquireAppLock();
    try {
      const second = start({ PORT: "3999" });
      expect(second.code).toBe(1);
      expect(second.output).toContain(`Sentinel Review is already running (pid ${process.pid}`);
    } finally {
      lock.release();
      process.env.SENTINEL_DATA_DIR = previous;
    }
  });

  it("a port already taken", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = start({ PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.output).toContain(`Port ${port} is already in use`);
      expect(fs.existsSync(path.join(dataDir, "app.lock"))).toBe(false);
    } finally {
      server.close();
    }
  });

  it("--help explains the command", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts", "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("embedded PostgreSQL 15 server");
    expect(r.stdout).toContain("default 127.0.0.1, this machine only");
  });
});
