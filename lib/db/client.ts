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
 * The one factory for database access. No `server-only` here: the CLIs, benchmarks and
 * tests build their clients from it too.
 */
export function createPrismaClient(connectionString: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
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
