import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { registerSigningKey } from "@/lib/data/checkpoints";
import { setDatabase } from "@/lib/data/db";
import { appLoginUrl } from "./app-login";
import { createPrismaClient, type DatabaseHandle } from "./client";
import { embeddedRuntimeDir, startEmbeddedServer, type EmbeddedServer } from "./embedded/server";
import { deployMigrations } from "./migrate";

/**
 * For fault tests: a private embedded PostgreSQL server (its own folder and port; never the
 * machine's shared one) that a test may stop and start again, migrated and installed as the
 * data layer's database. `restart` after a `stop` gives a fresh handle on the same data.
 */
export function withPrivateServer(name: string, poolSize = 2) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `sentinel-${name}-`));
  const saved = process.env.SENTINEL_DATA_DIR;
  let server: EmbeddedServer | null = null;
  let handle: DatabaseHandle | null = null;
  let runtimeDir = "";

  async function start(): Promise<void> {
    server = await startEmbeddedServer({ startedBy: "cli" });
    await deployMigrations(server.url);
    await registerSigningKey(server.url);
    handle = createPrismaClient(appLoginUrl(server.url), { max: poolSize });
    setDatabase(handle);
  }

  beforeAll(async () => {
    process.env.SENTINEL_DATA_DIR = path.join(tmp, "data");
    if (process.getuid?.() === 0) runtimeDir = embeddedRuntimeDir();
    await start();
  }, 120_000);

  afterAll(async () => {
    await handle?.close().catch(() => undefined);
    await server?.stop();
    if (runtimeDir) fs.rmSync(runtimeDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    if (saved === undefined) delete process.env.SENTINEL_DATA_DIR;
    else process.env.SENTINEL_DATA_DIR = saved;
  });

  return {
    handle: () => handle!,
    /** The server's URL as the URL's own user (for a watcher connection outside the app's pool). */
    url: () => server!.url,
    /** The postmaster's pid (to read the user it runs as). */
    serverPid: () => server!.pid,
    /** The postmaster dies at once (SIGKILL): no shutdown checkpoint, backends cut mid-statement, crash recovery on the next start. */
    async crash(): Promise<void> {
      process.kill(server!.pid, "SIGKILL");
      await server!.exited;
    },
    /**
     * After a crash: the server starts again on the same folder and port (PostgreSQL replays
     * its WAL) and the app's existing pool and handle are kept, so a test sees that pool
     * recover by itself. Retries while the killed backends still hold shared memory.
     */
    async recover(): Promise<void> {
      const port = server!.port;
      for (let attempt = 1; ; attempt++) {
        try {
          server = await startEmbeddedServer({ startedBy: "cli", port });
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    /** stops the server under whatever is running (fast shutdown) */
    stop: () => server!.stop(),
    /** after a stop: closes the old handle, starts the server again, installs a new handle */
    async restart(): Promise<void> {
      await handle?.close().catch(() => undefined);
      await start();
    },
  };
}
