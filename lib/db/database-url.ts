import { DATABASE_URL_RULE, isPostgresUrl } from "@/lib/env";
import { appLoginUrl } from "./app-login";
import { findRunningEmbeddedServer, startEmbeddedServer } from "./embedded/server";

export type DatabaseUrlSource = "DATABASE_URL" | "embedded";

export type DatabaseConnection = {
  /** the app's login (DATABASE_URL; on the embedded server, sentinel_login) */
  url: string;
  /** the owner's login, for migrations (DATABASE_OWNER_URL, else DATABASE_URL; on the embedded server, its superuser) */
  ownerUrl: string;
  source: DatabaseUrlSource;
  /** Stops the embedded server when this call started it; otherwise does nothing. */
  release(): Promise<void>;
  /** Settles if the embedded server this call started dies without being stopped (never for others). */
  died?: Promise<void>;
};

/** Throws an Error naming DATABASE_URL and the rule (without echoing the value: it may hold a password). */
function validateDatabaseUrl(value: string, name = "DATABASE_URL"): string {
  if (!isPostgresUrl(value)) throw new Error(`${name} ${DATABASE_URL_RULE}. Unset it to use the embedded PostgreSQL server.`);
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
    const owner = process.env.DATABASE_OWNER_URL;
    const ownerUrl = owner ? validateDatabaseUrl(owner, "DATABASE_OWNER_URL") : fromEnv;
    return { url: validateDatabaseUrl(fromEnv), ownerUrl, source: "DATABASE_URL", release: async () => {} };
  }
  const running = findRunningEmbeddedServer();
  if (running) {
    log(`Using the embedded PostgreSQL server already running (pid ${running.pid}, port ${running.port}).`);
    return { url: appLoginUrl(running.url), ownerUrl: running.url, source: "embedded", release: async () => {} };
  }
  const started = Date.now();
  const server = await startEmbeddedServer({ log, startedBy: opts?.startedBy ?? "cli" });
  log(
    `Embedded PostgreSQL server ready on 127.0.0.1:${server.port} in ${Date.now() - started} ms` +
      (server.reused ? "." : " (new cluster)."),
  );
  // A postmaster that exits while nobody asked it to: its owner must not serve on without it.
  const died = server.exited.then(() => (server.stopping ? new Promise<void>(() => {}) : undefined));
  return { url: appLoginUrl(server.url), ownerUrl: server.url, source: "embedded", release: () => server.stop(), died };
}

/** The app's login URL on the embedded server a live process runs, or null. Never starts anything. */
export function embeddedDatabaseUrl(): string | null {
  const running = findRunningEmbeddedServer();
  return running ? appLoginUrl(running.url) : null;
}
