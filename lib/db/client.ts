import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";

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

/**
 * The one factory for database access. No `server-only` here: the CLIs, benchmarks and
 * tests build their clients from it too. Every connection runs as `role` (set in the
 * startup packet, so before the first query); `role: null` keeps the URL's user, for the
 * owner's work only: migrations, VACUUM, and tests that play the superuser.
 */
export function createPrismaClient(connectionString: string, options: { max?: number; role?: string | null } = {}): DatabaseHandle {
  const role = options.role === undefined ? APP_ROLE : options.role;
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, ...(role ? { options: `-c role=${role}` } : {}) });
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
