/**
 * Signs an Ed25519 checkpoint of the edit log's head now (docs/ledger.md).
 * `npm run ledger:checkpoint` — DATABASE_URL, else the project's embedded server.
 */
import { withCliDatabase } from "@/lib/cli/database";
import { OPERATOR } from "@/lib/auth/actor";
import { createCheckpoint, registerSigningKey } from "@/lib/data/checkpoints";
import { runCli } from "@/lib/cli/options";

const USAGE = `Usage: npm run ledger:checkpoint

Signs the edit log's current head (entry count, head hash, time) with the server's Ed25519
key (LEDGER_SIGNING_KEY, else .data/secrets.json) and stores the checkpoint; the export
carries it after the entry it covers. Prints the checkpoint as one JSON line.
`;

async function main(): Promise<number> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  return withCliDatabase(async (_url, ownerUrl) => {
    await registerSigningKey(ownerUrl);
    const { checkpoint } = await createCheckpoint(OPERATOR);
    process.stdout.write(`${JSON.stringify(checkpoint)}\n`);
    return 0;
  });
}

runCli(main, USAGE);
