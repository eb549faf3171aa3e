import { DATABASE_URL_RULE, isPostgresUrl } from "@/lib/env";
import { findRunningEmbeddedServer, startEmbeddedServer } from "./embedded/server";

export type DatabaseUrlSource = "DATABASE_URL" | "embedded";

export type DatabaseConnection = {
  url: string;
  source: DatabaseUrlSource;
  /** Stops the embedded server when this call started it; otherwise does nothing. */
  release(): Promise<void>;
  /** Settles if the embedded server this call started dies without being stopped (never for others). */
  died?: Promise<void>;
};

/** Throws an Error naming DATABASE_URL and the rule (without echoing the value: it may hold a password). */
function validateDatabaseUrl(value: string): string {
  if (!isPostgresUrl(value)) throw new Error(`DATABASE_URL ${DATABASE_URL_RULE}. Unset it to use the embedded PostgreSQL server.`);
  return value;
}

/**
 * The database to use: DATABASE_URL when set (an empty value counts as unset), else the
 * embedded server a live process of this data dir already runs, else a newly started
 * embedded server, which `release()` stops.
 */
export async function ensureDatabaseUrl(opts?: { log?: (msg: string) => void; startedBy?: "app" | "cli" }): Promise<DatabaseConnection> {
  const log = opts?.log ?? (() => {});
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv !== undefined && fromEnv !== "") {
    return { url: validateDatabaseUrl(fromEnv), source: "DATABASE_URL", release: async () => {} };
  }
  const running = findRunningEmbeddedServer();
  if (running) {
    log(`Using the embedded PostgreSQL server already running (pid ${running.pid}, port ${running.port}).`);
    return { url: running.url, source: "embedded", release: async () => {} };
  }
  const started = Date.now();
  const server = await startEmbeddedServer({ log, startedBy: opts?.startedBy ?? "cli" });
  log(
    `Embedded PostgreSQL server ready on 127.0.0.1:${server.port} in ${Date.now() - started} ms` +
      (server.reused ? "." : " (new cluster)."),
  );
  // A postmaster that exits while nobody asked it to: its owner must not serve on without it.
  const died = server.exited.then(() => (server.stopping ? new Promise<void>(() => {}) : undefined));
  return { url: server.url, source: "embedded", release: () => server.stop(), died };
}

/** The URL of the embedded server a live process runs, or null. Never starts anything. */
export function embeddedDatabaseUrl(): string | null {
  return findRunningEmbeddedServer()?.url ?? null;
}
