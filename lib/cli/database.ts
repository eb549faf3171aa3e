import { createPrismaClient } from "@/lib/db/client";
import { ensureDatabaseUrl } from "@/lib/db/database-url";
import { setDatabase } from "@/lib/data/db";

/**
 * Runs an operator command against DATABASE_URL, else the project's embedded server
 * (started if needed and stopped again if this command started it), with the data layer
 * installed on it.
 */
export async function withCliDatabase<T>(work: (url: string, ownerUrl: string) => Promise<T>): Promise<T> {
  const database = await ensureDatabaseUrl({ log: (m) => process.stderr.write(`${m}\n`), startedBy: "cli" });
  const handle = createPrismaClient(database.url, { max: 2 });
  try {
    setDatabase(handle);
    return await work(database.url, database.ownerUrl);
  } finally {
    await handle.close();
    await database.release();
  }
}
