/**
 * Recomputes the edit log's hash chain in the database and names the first bad entry.
 * `npm run ledger:verify` — DATABASE_URL, else the project's embedded server.
 */
import { withCliDatabase } from "@/lib/cli/database";
import { OPERATOR } from "@/lib/auth/actor";
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
  return withCliDatabase(async () => {
    const result = await verifyLedger(OPERATOR);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok) process.stderr.write(`the edit log does not verify: entry ${result.firstBad.seq}: ${result.firstBad.reason}\n`);
    return result.ok ? 0 : 1;
  });
}

runCli(main, USAGE);
