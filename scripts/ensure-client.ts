/** Generates the Prisma client when it is missing or older than the schema (after install, before start/test/CLIs). */
import { ensureGeneratedClient } from "@/lib/db/migrate";

ensureGeneratedClient().catch((error: unknown) => {
  console.error(`Could not generate the Prisma client: ${(error as Error).message}`);
  process.exit(1);
});
