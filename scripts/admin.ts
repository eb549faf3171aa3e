/**
 * Operator CLI: a deployment's first steps and scripting. Runs through the same data
 * layer and checks as the pages, acting as the trusted operator (administrator rights).
 * Only a created token or password goes to standard output; everything else to stderr.
 */
import { parseArgs } from "node:util";
import { API_SCOPES, ROLES } from "@/lib/auth/permissions";
import { createPrismaClient } from "@/lib/db/client";
import { ensureDatabaseUrl } from "@/lib/db/database-url";
import { deployMigrations } from "@/lib/db/migrate";
import { OPERATOR } from "@/lib/auth/actor";
import { setDatabase } from "@/lib/data/db";
import { BUILTIN_SERVICE_ACCOUNT, createToken, ensureBuiltinServiceAccount, revokeToken } from "@/lib/data/tokens";
import { createUser, findUserByEmail, removeDemoAccounts, setUserActive } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { scopesField } from "@/lib/validations/admin";

const COMMANDS = {
  "user:create": {
    usage: "user:create --email <email> --role <role> [--name <name>] [--password-stdin]",
    help: `Creates a person who signs in with a password.
  --email            their email (the sign-in name)
  --role             one of ${ROLES.join(", ")}
  --name             display name (default: the part of the email before @)
  --password-stdin   read the password from standard input (at least 12 characters);
                     without it a password is generated and printed once on stdout`,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, "password-stdin": { type: "boolean" } },
  },
  "user:deactivate": {
    usage: "user:deactivate --email <email>",
    help: "Deactivates a person: they are locked out on their next request.",
    options: { email: { type: "string" } },
  },
  "demo:remove": {
    usage: "demo:remove",
    help: `Retires the demo accounts (@demo.local), whose passwords are published: each is
deactivated and its password removed, so a later reactivation cannot bring it back. Their
decisions and edit-log entries stay. A start with NODE_ENV=production or SENTINEL_STRICT=1
refuses a database that still has active demo accounts. Create a real administrator first
(user:create --role admin) if the demo's was the only one.`,
    options: {},
  },
  "token:create": {
    usage: "token:create --name <name> --scopes <s1,s2> [--expires <days>|never] [--read-per-minute N] [--ingest-per-minute N] [--as <service account email>]",
    help: `Issues an API token and prints it once, alone on stdout.
  --name           what the token is for
  --scopes         comma-separated, from ${API_SCOPES.join(", ")}
  --expires        days until it expires, 1 to 3650, or "never" (default: API_TOKEN_DAYS, 90)
  --expires-days   the same, in days only
  --read-per-minute, --ingest-per-minute
                   this token's rate limits (default: API_READ_PER_MINUTE 600, API_INGEST_PER_MINUTE 60)
  --as             the service account to issue it to; its allowed scopes bound the token.
                   Without --as: the built-in account ${BUILTIN_SERVICE_ACCOUNT}, with exactly these scopes.`,
    options: {
      name: { type: "string" },
      scopes: { type: "string" },
      expires: { type: "string" },
      "expires-days": { type: "string" },
      "read-per-minute": { type: "string" },
      "ingest-per-minute": { type: "string" },
      as: { type: "string" },
    },
  },
  "token:revoke": {
    usage: "token:revoke --id <token id or sr_… prefix>",
    help: "Revokes a token at once. Accepts the id from the tokens page or the token's first characters.",
    options: { id: { type: "string" } },
  },
} as const;

type Command = keyof typeof COMMANDS;

const GENERAL_HELP = `Usage: npm run admin -- <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join("\n")}

Each command has --help. Uses DATABASE_URL, else the embedded server of a running
\`npm start\`, else starts the embedded server for the duration of the command.
`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, key: string): string {
  const v = values[key];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${key} is required`);
  return v.trim();
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password: ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function describe(error: DomainError): string {
  const fields = error.fields ? Object.entries(error.fields).map(([k, v]) => `\n  --${k}: ${v.join("; ")}`).join("") : "";
  return `${error.message}${fields}`;
}

async function execute(command: Command, values: Record<string, unknown>): Promise<void> {
  const err = (msg: string) => process.stderr.write(`${msg}\n`);
  switch (command) {
    case "user:create": {
      const email = required(values, "email");
      const role = required(values, "role");
      let password: string;
      let generated = false;
      if (values["password-stdin"]) {
        password = await readStdin();
      } else {
        const { randomBytes } = await import("node:crypto");
        password = randomBytes(15).toString("base64url");
        generated = true;
      }
      const user = await createUser(OPERATOR, { email, role, password, name: (values.name as string | undefined) ?? email.split("@")[0] });
      err(`Created ${user.email} (${user.role}).`);
      if (generated) {
        err("Generated password (shown once):");
        process.stdout.write(`${password}\n`);
      }
      return;
    }
    case "user:deactivate": {
      const email = required(values, "email");
      const user = await findUserByEmail(OPERATOR, email);
      if (!user || user.kind !== "human") throw new UsageError(`No person with the email ${email}`);
      await setUserActive(OPERATOR, { userId: user.id, active: false });
      err(`Deactivated ${email}: locked out on the next request.`);
      return;
    }
    case "demo:remove": {
      const removed = await removeDemoAccounts(OPERATOR);
      err(removed.length === 0 ? "No demo accounts to remove." : `Deactivated and removed the passwords of ${removed.length} demo account(s): ${removed.join(", ")}.`);
      return;
    }
    case "token:create": {
      const name = required(values, "name");
      const parsed = scopesField.safeParse(required(values, "scopes").split(",").map((s) => s.trim()).filter(Boolean));
      if (!parsed.success) throw new UsageError(`--scopes: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
      if (values.expires !== undefined && values["expires-days"] !== undefined) throw new UsageError("--expires and --expires-days: give one of them");
      const expiresRaw = ((values.expires ?? values["expires-days"]) as string | undefined)?.trim();
      let days: number | "never" | undefined;
      if (expiresRaw === undefined) days = undefined;
      else if (expiresRaw === "never" && values.expires !== undefined) days = "never";
      else {
        days = /^\d+$/.test(expiresRaw) ? Number(expiresRaw) : NaN;
        if (!(days >= 1 && days <= 3650)) {
          throw new UsageError(values.expires !== undefined ? '--expires must be a whole number of days from 1 to 3650, or "never"' : "--expires-days must be a whole number from 1 to 3650");
        }
      }
      let ownerId: string;
      if (values.as) {
        const owner = await findUserByEmail(OPERATOR, values.as as string);
        if (!owner || owner.kind !== "service") throw new UsageError(`--as: ${values.as} is not a service account`);
        ownerId = owner.id;
      } else {
        ownerId = await ensureBuiltinServiceAccount(OPERATOR, parsed.data);
      }
      const perMinute = (option: string): number | null => {
        const raw = values[option] as string | undefined;
        if (raw === undefined) return null;
        const n = Number(raw);
        if (!(Number.isInteger(n) && n >= 1 && n <= 1_000_000)) throw new UsageError(`--${option} must be a whole number from 1 to 1000000`);
        return n;
      };
      const { token, row } = await createToken(OPERATOR, {
        ownerId,
        name,
        scopes: parsed.data,
        expiresInDays: days,
        readPerMinute: perMinute("read-per-minute"),
        ingestPerMinute: perMinute("ingest-per-minute"),
      });
      err(`Token "${row.name}" for ${row.owner.email}, scopes ${row.scopes.join(",")}, ${row.expiresAt ? `expires ${row.expiresAt.toISOString()}` : "never expires (as asked)"}. Shown once:`);
      process.stdout.write(`${token}\n`);
      return;
    }
    case "token:revoke": {
      const row = await revokeToken(OPERATOR, required(values, "id"));
      err(`Revoked token "${row.name}" (${row.prefix}…) of ${row.owner.email}.`);
      return;
    }
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stderr.write(GENERAL_HELP);
    return command ? 0 : 1;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`Unknown command "${command}".\n\n${GENERAL_HELP}`);
    return 1;
  }
  const spec = COMMANDS[command as Command];
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...spec.options, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run admin -- ${spec.usage}\n`);
    return 1;
  }
  if (values.help) {
    process.stderr.write(`Usage: npm run admin -- ${spec.usage}\n\n${spec.help}\n`);
    return 0;
  }

  const database = await ensureDatabaseUrl({ log: (m) => process.stderr.write(`${m}\n`), startedBy: "cli" });
  const handle = createPrismaClient(database.url, { max: 2 });
  try {
    await deployMigrations(database.ownerUrl);
    setDatabase(handle);
    await execute(command as Command, values);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nUsage: npm run admin -- ${spec.usage}\n`);
    } else if (error instanceof DomainError) {
      process.stderr.write(`${describe(error)}\n`);
    } else {
      process.stderr.write(`Failed: ${(error as Error).message}\n`);
    }
    return 1;
  } finally {
    await handle.close();
    await database.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.message ?? error}\n`);
    process.exit(1);
  },
);
