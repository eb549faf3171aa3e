/**
 * Recomputes the edit log's hash chain in the database and names the first bad entry.
 * `npm run ledger:verify` — DATABASE_URL, else the project's embedded server.
 */
import { createPrismaClient } from "@/lib/db/client";
import { ensureDatabaseUrl } from "@/lib/db/database-url";
import { OPERATOR } from "@/lib/data/actor";
import { setDatabase } from "@/lib/data/db";
import { verifyLedger } from "@/lib/data/ledger";
import { runCli } from "@/lib/cli/options";

const USAGE = `Usage: npm run ledger:verify

Recomputes every entry's hash of the edit log (governance spec §1: RFC 8785 content,
sha256 over content, seq, recordedAt and the previous hash) and checks the chain head.
Prints one JSON line: { ok, count, headHash } or { ok: false, count, firstBad: { seq, reason } }.
Exit codes: 0 the chain verifies; 1 it does not; 2 bad usage.
`;

async function main(): Promise<number> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const database = await ensureDatabaseUrl({ log: (m) => process.stderr.write(`${m}\n`), startedBy: "cli" });
  const handle = createPrismaClient(database.url, { max: 2 });
  try {
    setDatabase(handle);
    const result = await verifyLedger(OPERATOR);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok) process.stderr.write(`the edit log does not verify: entry ${result.firstBad.seq}: ${result.firstBad.reason}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await handle.close();
    await database.release();
  }
}

runCli(main, USAGE);
