import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { databaseTimeouts, type DatabaseTimeouts } from "@/lib/env";

function buildClient(pool: pg.Pool) {
  // Password hashes are never selected unless a query asks for them by name.
  return new PrismaClient({ adapter: new PrismaPg(pool), omit: { user: { passwordHash: true } } });
}

export type AppPrismaClient = ReturnType<typeof buildClient>;

export type DatabaseHandle = {
  prisma: AppPrismaClient;
  /** The same pool the adapter uses, for bulk SQL (UNNEST, COPY) and raw queries. */
  pool: pg.Pool;
  close(): Promise<void>;
};

/**
 * The role the application runs as (governance spec §1, created by the migrations): no
 * UPDATE, DELETE or TRUNCATE on the append-only tables, whatever user DATABASE_URL names.
 */
export const APP_ROLE = "sentinel_app";

export interface ClientOptions {
  max?: number;
  role?: string | null;
  /**
   * Waits the connections may spend (defaults: the DB_*_TIMEOUT_MS settings). `null` sets
   * none but the connect timeout; fields left out take their defaults.
   */
  timeouts?: Partial<DatabaseTimeouts> | null;
}

/** The startup packet's `options`: the role and the server-side timeouts, set before the first query. */
export function connectionOptions(role: string | null, timeouts: DatabaseTimeouts | null): string | undefined {
  const settings = [
    ...(role ? [`role=${role}`] : []),
    ...(timeouts
      ? [`statement_timeout=${timeouts.statementMs}`, `lock_timeout=${timeouts.lockMs}`, `idle_in_transaction_session_timeout=${timeouts.idleInTransactionMs}`]
      : []),
  ];
  return settings.length ? settings.map((s) => `-c ${s}`).join(" ") : undefined;
}

/**
 * The one factory for database access. No `server-only` here: the CLIs, benchmarks and
 * tests build their clients from it too. Every connection runs as `role` (set in the
 * startup packet, so before the first query); `role: null` keeps the URL's user, for the
 * owner's work only: migrations, VACUUM, and tests that play the superuser.
 *
 * Every pool waits at most DB_CONNECT_TIMEOUT_MS for a connection. The app role's
 * connections also get the statement, lock and idle-in-transaction limits; owner
 * connections do not unless asked: owner work (VACUUM, bulk fixtures, a backfill) may
 * rightly run for minutes, and a migration cut off half-way would be worse than a slow
 * one (migrations use their own connections in lib/db/migrate.ts, without limits either).
 */
export function createPrismaClient(connectionString: string, options: ClientOptions = {}): DatabaseHandle {
  const role = options.role === undefined ? APP_ROLE : options.role;
  const defaults = databaseTimeouts();
  const limited = options.timeouts === null ? null : options.timeouts !== undefined || role !== null ? { ...defaults, ...options.timeouts } : null;
  const startup = connectionOptions(role, limited);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: limited?.connectMs ?? defaults.connectMs,
    ...(startup ? { options: startup } : {}),
  });
  // When the server stops, idle clients emit "terminating connection due to administrator
  // command"; unhandled, that error would crash the process.
  pool.on("error", (error) => {
    console.error(`database pool: ${error.message}`);
  });
  const prisma = buildClient(pool);
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
