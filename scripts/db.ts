/**
 * `npm run db -- <command>`: the project's offline replacement for `prisma generate` and
 * `prisma migrate deploy / diff / reset / status` (Prisma's WASM schema engine through the
 * pg adapter; no engine download). See docs/migrations.md.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  createMigration,
  deployMigrations,
  generateClient,
  MigrateError,
  migrationStatus,
  resetDatabase,
  type MigrateOptions,
} from "@/lib/db/migrate";
import { schemaEnginePanicMessage } from "@/lib/db/schema-engine";

const USAGE = `Usage: npm run db -- <command> [options]

Commands:
  generate              generate the Prisma client (generated/prisma) from prisma/schema.prisma
  diff --name <name>    write prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that
                        takes the migrations' database to the schema file
  deploy                apply the migrations the database has not applied yet
  reset [--yes]         drop everything in the database's public schema, apply all migrations
  status                applied / pending / failed migrations, and schema drift
                        (exit code 1 when anything is pending, failed or drifting)

Database: DATABASE_URL, or else the project's embedded PostgreSQL server (started if needed).
Run \`npm run db -- <command> --help\` for a command's options.
`;

const COMMON_HELP = `  --schema <path>       Prisma schema file (default prisma/schema.prisma)
  --migrations <dir>    migrations folder (default prisma/migrations)
  -h, --help            this help
`;

type Command = {
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  needsDatabase: boolean;
};

const COMMON_OPTIONS = {
  schema: { type: "string" },
  migrations: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const COMMANDS: Record<string, Command> = {
  generate: {
    help: `Usage: npm run db -- generate

Generates the Prisma client into generated/prisma, offline (prisma generate with
PRISMA_SCHEMA_ENGINE_BINARY set, so the CLI does not try to download its engine).
  -h, --help            this help
`,
    options: { help: { type: "boolean", short: "h" } },
    needsDatabase: false,
  },
  diff: {
    help: `Usage: npm run db -- diff --name <name>

Compares what the migrations produce (replayed in a temporary shadow database on the
database server, dropped afterwards; the database itself is not touched) with the schema
file, and writes the difference as prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql.
Refuses when they agree. Review the SQL, add hand-written SQL if needed, then deploy.

  --name <name>         what the migration does, e.g. review_queue (required)
${COMMON_HELP}`,
    options: { ...COMMON_OPTIONS, name: { type: "string", short: "n" } },
    needsDatabase: true,
  },
  deploy: {
    help: `Usage: npm run db -- deploy

Applies the migrations the database has not applied yet, in order, recorded in
_prisma_migrations (the table \`prisma migrate deploy\` uses).

${COMMON_HELP}`,
    options: { ...COMMON_OPTIONS },
    needsDatabase: true,
  },
  reset: {
    help: `Usage: npm run db -- reset [--yes]

Drops everything in the database's public schema (all tables and data, _prisma_migrations,
functions, triggers) and applies all migrations again. Asks for confirmation on a terminal;
elsewhere --yes is required.

  -y, --yes             do not ask
${COMMON_HELP}`,
    options: { ...COMMON_OPTIONS, yes: { type: "boolean", short: "y" } },
    needsDatabase: true,
  },
  status: {
    help: `Usage: npm run db -- status

Lists applied, pending and failed migrations, and the drift between the migrations and the
schema file (the SQL a new migration would need; computed in a temporary shadow database).
Exit code 0 when the database is up to date and there is no drift, 1 otherwise.

${COMMON_HELP}`,
    options: { ...COMMON_OPTIONS },
    needsDatabase: true,
  },
};

class UsageError extends Error {}

/** Hides the password of a connection string shown to people. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

async function connect(log: (message: string) => void): Promise<{ url: string; release(): Promise<void> }> {
  // Imported late: `generate` must work before the client it generates exists.
  const { ensureDatabaseUrl } = await import("@/lib/db/database-url");
  // Migrations and resets are the owner's work (DATABASE_OWNER_URL, else DATABASE_URL).
  const database = await ensureDatabaseUrl({ log, startedBy: "cli" });
  return { url: database.ownerUrl, release: database.release };
}

async function confirmReset(url: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `This deletes every table and all data in ${redact(url)} (schema public) and applies all migrations again.\nType "reset" to continue: `,
    );
    return answer.trim() === "reset";
  } finally {
    rl.close();
  }
}

function printList(title: string, names: string[]): void {
  if (names.length === 0) return;
  console.log(`${title} (${names.length}):`);
  for (const name of names) console.log(`  ${name}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(`db: no command given.\n\n${USAGE}`);
    return 1;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}.`);

  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
  if (values.help) {
    process.stdout.write(command.help);
    return 0;
  }

  const log = (message: string) => console.log(message);
  if (name === "generate") {
    await generateClient({ log });
    return 0;
  }

  const options: MigrateOptions = {
    log,
    schemaPath: typeof values.schema === "string" ? values.schema : undefined,
    migrationsDir: typeof values.migrations === "string" ? values.migrations : undefined,
  };
  let migrationName: string | undefined;
  if (name === "diff") {
    migrationName = typeof values.name === "string" ? values.name.trim() : undefined;
    if (!migrationName) throw new UsageError("diff: --name <name> is required, e.g. `npm run db -- diff --name review_queue`.");
  }
  if (name === "reset" && !values.yes && !process.stdin.isTTY) {
    throw new UsageError("reset deletes all data: pass --yes to confirm (stdin is not a terminal, so it cannot ask).");
  }

  const db = await connect((m) => console.error(m));
  try {
    switch (name) {
      case "deploy": {
        const applied = await deployMigrations(db.url, options);
        console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Nothing to apply: the database is up to date.");
        return 0;
      }
      case "diff": {
        await createMigration(db.url, migrationName!, options);
        console.log("Review the SQL, then apply it with `npm run db -- deploy`.");
        return 0;
      }
      case "reset": {
        if (!values.yes && !(await confirmReset(db.url))) {
          console.error("Reset cancelled.");
          return 1;
        }
        const applied = await resetDatabase(db.url, options);
        console.log(`Reset done: applied ${applied.length} migration(s).`);
        return 0;
      }
      case "status": {
        const status = await migrationStatus(db.url, options);
        printList("Applied", status.applied);
        printList("Pending", status.pending);
        printList("Failed", status.failed);
        printList("Edited after they were applied (checksum differs)", status.edited);
        printList("In the database but not in the migrations folder", status.missing);
        if (status.drift) {
          console.log("Drift: the schema file needs a migration nobody has written yet:");
          console.log(status.drift.replace(/^/gm, "  ").trimEnd());
          console.log("Create it with `npm run db -- diff --name <name>`.");
        }
        if (status.driftError) console.log(`Drift could not be checked: ${status.driftError}`);
        const problems =
          status.pending.length +
          status.failed.length +
          status.edited.length +
          status.missing.length +
          (status.drift || status.driftError ? 1 : 0);
        if (problems === 0) console.log("Database is up to date; the schema and the migrations agree.");
        return problems === 0 ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${name}".`);
    }
  } finally {
    await db.release();
  }
}

// A panic of the schema engine traps inside a microtask: it cannot reach main()'s catch.
process.on("uncaughtException", (error) => {
  const panic = schemaEnginePanicMessage();
  console.error(panic ? `db: the schema engine crashed: ${panic}` : `db: ${error.stack ?? error.message}`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof MigrateError) {
      console.error(`db: ${error.message}`);
      if (error instanceof UsageError) console.error("Run `npm run db -- --help` for usage.");
    } else {
      console.error(`db: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    process.exitCode = 1;
  },
);
