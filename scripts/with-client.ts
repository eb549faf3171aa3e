/**
 * Runs a script after making sure the generated Prisma client exists: `tsx
 * scripts/with-client.ts scripts/start.ts [args…]`. One process, so signals sent to
 * `npm start` reach the script itself (a `sh -c "a && b"` chain would swallow them).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureGeneratedClient } from "@/lib/db/migrate";

const script = process.argv[2];
if (!script) {
  console.error("usage: tsx scripts/with-client.ts <script> [args…]");
  process.exit(1);
}
process.argv.splice(2, 1);
await ensureGeneratedClient();
await import(pathToFileURL(path.resolve(script)).href);
