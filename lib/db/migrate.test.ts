/**
 * Offline migrations against a real PostgreSQL server: each test gets scratch databases on
 * the server of TEST_DATABASE_ADMIN_URL (else DATABASE_URL), dropped afterwards.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createMigration,
  deployMigrations,
  ensureGeneratedClient,
  migrationStatus,
  migrationTimestamp,
  normaliseMigrationName,
  resetDatabase,
} from "./migrate";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations");
const SCHEMA = fs.readFileSync(path.join(ROOT, "prisma", "schema.prisma"), "utf8");
const PROJECT_MIGRATIONS = fs
  .readdirSync(MIGRATIONS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "These tests need a PostgreSQL server: set TEST_DATABASE_ADMIN_URL or DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test). " +
        "They create and drop scratch databases sr_mig_test_* on it.",
    );
  }
  return url;
}

function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const scratch: string[] = [];
const tempDirs: string[] = [];
const roles: string[] = [];

/** A new empty database on the test server; dropped after the test. */
async function scratchDatabase(): Promise<string> {
  const name = `sr_mig_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  scratch.push(name);
  return urlFor(name);
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function shadowDatabases(): Promise<string[]> {
  const rows = await admin((c) => c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'sr\\_shadow\\_%'`));
  return rows.rows.map((r) => r.datname);
}

/** A copy of the project's migrations plus `extra` (folder name → SQL), in a temp folder. */
function migrationsWith(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sr-migrations-"));
  tempDirs.push(dir);
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

const withModel = (model: string) => `${SCHEMA}\n${model}\n`;
const REVIEW_NOTE = `model ReviewNote {
  id   BigInt @id @default(autoincrement())
  body String

  @@map("review_notes")
}`;

beforeAll(() => {
  adminUrl();
  expect(PROJECT_MIGRATIONS.length).toBeGreaterThan(0);
});

afterEach(async () => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await admin(async (c) => {
    for (const name of scratch.splice(0)) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    for (const role of roles.splice(0)) await c.query(`DROP ROLE IF EXISTS "${role}"`);
  });
});

describe("deployMigrations", () => {
  it("brings a fresh database to the latest migration, recorded as prisma migrate deploy records it", async () => {
    const url = await scratchDatabase();
    const applied = await deployMigrations(url);
    expect(applied).toEqual(PROJECT_MIGRATIONS);

    const tables = (await query<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map(
      (r) => r.tablename,
    );
    expect(tables).toEqual(expect.arrayContaining(["users", "api_tokens", "sign_in_attempts", "app_state", "_prisma_migrations"]));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number }>(
      url,
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(PROJECT_MIGRATIONS);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      const sql = fs.readFileSync(path.join(MIGRATIONS, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }

    // The schema really is in place: the generated client's shapes can be written.
    await query(url, `INSERT INTO users (id, email, name, updated_at, allowed_scopes) VALUES (gen_random_uuid(), 'a@example.com', 'A', now(), '{events:ingest}')`);
    await expect(
      query(url, `INSERT INTO users (id, email, name, updated_at) VALUES (gen_random_uuid(), 'a@example.com', 'B', now())`),
    ).rejects.toThrow(/users_email_key/);
  });

  it("applies nothing the second time", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    expect(await deployMigrations(url)).toEqual([]);
    const count = await query<{ n: string }>(url, `SELECT count(*) AS n FROM _prisma_migrations`);
    expect(Number(count[0]!.n)).toBe(PROJECT_MIGRATIONS.length);
  });

  it("records a failing migration as failed, and refuses to go on until it is resolved", async () => {
    const url = await scratchDatabase();
    const dir = migrationsWith({ "29990101000000_broken": `CREATE TABLE broken_a (id int);\nSELECT * FROM no_such_table;\n` });
    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(/no_such_table/);
    // One script, one implicit transaction: the first statement was rolled back too.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'broken_a'`)).toEqual([]);
    const status = await migrationStatus(url, { migrationsDir: dir });
    expect(status.failed).toEqual(["29990101000000_broken"]);
    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(PROJECT_MIGRATIONS);
    expect(status.drift).toBeNull();
    expect(status.driftError).toMatch(/29990101000000_broken. failed to apply cleanly to the shadow database/);
    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(/failed/i);
  });

  it("refuses a lock file written for another provider", async () => {
    const url = await scratchDatabase();
    const dir = migrationsWith();
    fs.writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "mysql"\n');
    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(/provider = "mysql"/);
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
  });
});

describe("migrationStatus", () => {
  it("is clean right after deploy: the schema file and the project's migrations agree", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    expect(await migrationStatus(url)).toEqual({
      applied: PROJECT_MIGRATIONS,
      pending: [],
      failed: [],
      drift: null,
      driftError: null,
      edited: [],
      missing: [],
    });
  });

  it("lists a migration the database has not applied as pending, until it is deployed", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    const extra = "29990101000000_review_notes";
    const dir = migrationsWith({ [extra]: `CREATE TABLE "review_notes" ("id" BIGSERIAL NOT NULL, "body" TEXT NOT NULL, CONSTRAINT "review_notes_pkey" PRIMARY KEY ("id"));\n` });
    const schema = withModel(REVIEW_NOTE);

    const before = await migrationStatus(url, { migrationsDir: dir, schema });
    expect(before.pending).toEqual([extra]);
    expect(before.applied).toEqual(PROJECT_MIGRATIONS);
    expect(before.drift).toBeNull();

    expect(await deployMigrations(url, { migrationsDir: dir })).toEqual([extra]);
    const after = await migrationStatus(url, { migrationsDir: dir, schema });
    expect(after.pending).toEqual([]);
    expect(after.applied).toEqual([...PROJECT_MIGRATIONS, extra]);
  });

  it("reports drift when the schema has a model no migration covers — computed in a shadow database, not the target", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    const shadowsBefore = await shadowDatabases();

    const status = await migrationStatus(url, { schema: withModel(REVIEW_NOTE) });
    expect(status.pending).toEqual([]);
    expect(status.drift).toMatch(/CREATE TABLE "review_notes"/);
    expect(status.drift).not.toMatch(/"users"/);

    // The target was not changed, and the shadow database is gone again.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'review_notes'`)).toEqual([]);
    expect(await shadowDatabases()).toEqual(shadowsBefore);
  });

  it("works on a database that has never been migrated: everything pending", async () => {
    const url = await scratchDatabase();
    const status = await migrationStatus(url);
    expect(status).toMatchObject({ applied: [], pending: PROJECT_MIGRATIONS, failed: [], drift: null });
  });

  it("notices a migration edited after it was applied", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    const dir = migrationsWith();
    const last = PROJECT_MIGRATIONS.at(-1)!;
    fs.appendFileSync(path.join(dir, last, "migration.sql"), "\n-- edited\n");
    expect((await migrationStatus(url, { migrationsDir: dir })).edited).toEqual([last]);
  });
});

describe("hand-written SQL objects and the drift comparison", () => {
  it("a trigger + function (and a role, grants, a check constraint) in a migration are not drift — and they work", async () => {
    const url = await scratchDatabase();
    const role = `sr_mig_test_role_${randomUUID().replaceAll("-", "").slice(0, 8)}`;
    roles.push(role);
    const dir = migrationsWith({
      "29990101000000_immutable_state": `-- Hand-written: app_state rows may be added, never changed.
CREATE FUNCTION app_state_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'app_state is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER app_state_no_update BEFORE UPDATE OR DELETE ON app_state FOR EACH ROW EXECUTE FUNCTION app_state_refuse_change();
CREATE TRIGGER app_state_no_truncate BEFORE TRUNCATE ON app_state FOR EACH STATEMENT EXECUTE FUNCTION app_state_refuse_change();
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
END $$;
GRANT SELECT, INSERT ON app_state TO ${role};
ALTER TABLE users ADD CONSTRAINT users_email_lowercase CHECK (email = lower(email));
`,
    });

    expect(await deployMigrations(url, { migrationsDir: dir })).toContain("29990101000000_immutable_state");
    const status = await migrationStatus(url, { migrationsDir: dir });
    expect(status.drift).toBeNull();
    expect(status.pending).toEqual([]);

    // The dollar-quoted body arrived whole (the adapter's own executeScript splits on ";").
    await query(url, `INSERT INTO app_state (key, value, updated_at) VALUES ('seeded', '{}', now())`);
    await expect(query(url, `UPDATE app_state SET value = '{"x":1}'`)).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(query(url, `DELETE FROM app_state`)).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(query(url, `TRUNCATE app_state`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    const grants = await query<{ privilege_type: string }>(
      url,
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_name = 'app_state' ORDER BY 1`,
      [role],
    );
    expect(grants.map((g) => g.privilege_type)).toEqual(["INSERT", "SELECT"]);
  });

  it("partial and expression indexes are ignored unless the schema models them; other unmodelled indexes are drift", async () => {
    const url = await scratchDatabase();
    const partial = `CREATE INDEX users_active_email_idx ON users (email) WHERE active;\nCREATE INDEX users_lower_email_idx ON users (lower(email));\n`;
    const dir = migrationsWith({ "29990101000000_partial": partial });
    // Without the partialIndexes preview feature the engine leaves partial and expression indexes alone.
    expect((await migrationStatus(url, { migrationsDir: dir })).drift).toBeNull();

    // With it, a partial index must be declared in the schema, predicate as PostgreSQL prints it …
    const preview = SCHEMA.replace(/(generator client \{[^}]*?)\n\}/, `$1\n  previewFeatures = ["partialIndexes"]\n}`);
    expect(preview).toContain("partialIndexes");
    const declared = preview.replace(
      '@@map("users")',
      '@@index([email], map: "users_active_email_idx", where: raw("active"))\n  @@map("users")',
    );
    // (The project's own partial indexes are not declared in this test schema, so only this one is checked.)
    expect((await migrationStatus(url, { migrationsDir: dir, schema: declared })).drift ?? "").not.toMatch(/users_active_email_idx/);
    // … or the engine wants to drop it.
    expect((await migrationStatus(url, { migrationsDir: dir, schema: preview })).drift).toMatch(/DROP INDEX "users_active_email_idx"/);

    // A plain index the schema does not declare is drift, whatever its access method.
    const gin = migrationsWith({ "29990101000000_gin": `CREATE INDEX users_name_gin ON users USING gin (to_tsvector('simple', name));\nCREATE INDEX users_name_idx ON users USING hash (name);\n` });
    expect((await migrationStatus(url, { migrationsDir: gin })).drift).toMatch(/DROP INDEX "users_name_idx"/);
  });
});

describe("createMigration", () => {
  it("writes <UTC timestamp>_<name>/migration.sql from the migrations' state to the schema, then refuses when they agree", async () => {
    const url = await scratchDatabase();
    const dir = migrationsWith();
    const schema = withModel(REVIEW_NOTE);
    const folder = await createMigration(url, "Review notes", { migrationsDir: dir, schema, now: new Date(Date.UTC(2999, 0, 2, 3, 4, 5)) });
    expect(path.basename(folder)).toBe("29990102030405_review_notes");
    const sql = fs.readFileSync(path.join(folder, "migration.sql"), "utf8");
    expect(sql).toMatch(/CREATE TABLE "review_notes"/);
    expect(sql).not.toMatch(/"users"/);
    await expect(createMigration(url, "again", { migrationsDir: dir, schema })).rejects.toThrow(/schema and the migrations agree/);

    // The new migration deploys and leaves no drift; the target was untouched until then.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
    await deployMigrations(url, { migrationsDir: dir });
    expect((await migrationStatus(url, { migrationsDir: dir, schema })).drift).toBeNull();
  });

  it("never sorts a new migration before an existing one, and writes the lock file when missing", async () => {
    const url = await scratchDatabase();
    const dir = migrationsWith({ "29990101000000_future": "SELECT 1;\n" });
    fs.rmSync(path.join(dir, "migration_lock.toml"));
    const folder = await createMigration(url, "notes", { migrationsDir: dir, schema: withModel(REVIEW_NOTE), now: new Date(Date.UTC(2020, 0, 1)) });
    expect(path.basename(folder)).toBe("29990101000001_notes");
    expect(fs.readFileSync(path.join(dir, "migration_lock.toml"), "utf8")).toMatch(/^provider = "postgresql"$/m);
  });

  it("names migrations like Prisma does", () => {
    expect(normaliseMigrationName("  Add review-queue!  ")).toBe("add_review_queue");
    expect(normaliseMigrationName("!!!")).toBe("");
    expect(migrationTimestamp(new Date(Date.UTC(2026, 10, 23, 9, 8, 7)))).toBe("20261123090807");
  });
});

describe("resetDatabase", () => {
  it("drops everything in public (data, stray objects, the history) and re-applies every migration", async () => {
    const url = await scratchDatabase();
    await deployMigrations(url);
    await query(url, `INSERT INTO users (id, email, name, updated_at) VALUES (gen_random_uuid(), 'a@example.com', 'A', now())`);
    await query(url, `CREATE TABLE stray (id int)`);
    await query(url, `CREATE FUNCTION stray_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$`);
    await query(url, `UPDATE _prisma_migrations SET logs = 'before reset'`);

    expect(await resetDatabase(url)).toEqual(PROJECT_MIGRATIONS);

    expect(await query(url, `SELECT 1 FROM users`)).toEqual([]);
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'stray'`)).toEqual([]);
    expect(await query(url, `SELECT 1 FROM pg_proc WHERE proname = 'stray_fn'`)).toEqual([]);
    const history = await query<{ migration_name: string; logs: string | null }>(url, `SELECT migration_name, logs FROM _prisma_migrations ORDER BY 1`);
    expect(history.map((r) => r.migration_name)).toEqual(PROJECT_MIGRATIONS);
    expect(history.every((r) => r.logs === null)).toBe(true);
    // The public schema keeps its owner and the PUBLIC usage right PostgreSQL 15 gives it.
    const [schema] = await query<{ owner: string; acl: string }>(
      url,
      `SELECT nspowner::regrole::text AS owner, nspacl::text AS acl FROM pg_namespace WHERE nspname = 'public'`,
    );
    expect(schema!.owner).toBe("pg_database_owner");
    expect(schema!.acl).toContain("=U/pg_database_owner");
  });
});

describe("ensureGeneratedClient", () => {
  it("does nothing when the generated client is newer than the schema", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sr-generate-"));
    tempDirs.push(dir);
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.mkdirSync(path.join(dir, "generated", "prisma"), { recursive: true });
    fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), SCHEMA);
    fs.writeFileSync(path.join(dir, "generated", "prisma", "client.ts"), "// generated\n");
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, "prisma", "schema.prisma"), past, past);
    expect(await ensureGeneratedClient({ cwd: dir })).toBe(false);
  });
});

describe("npm run db (scripts/db.ts)", () => {
  const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const db = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [TSX, path.join(ROOT, "scripts", "db.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
      input: "",
      timeout: 60_000,
    });

  it("status exits 1 with pending migrations, deploy applies them, then status exits 0", async () => {
    const url = await scratchDatabase();
    const before = db(["status"], { DATABASE_URL: url });
    expect(before.status).toBe(1);
    expect(before.stdout).toContain(`Pending (${PROJECT_MIGRATIONS.length})`);

    const deploy = db(["deploy"], { DATABASE_URL: url });
    expect(deploy.status).toBe(0);
    expect(deploy.stdout).toContain(`Applied ${PROJECT_MIGRATIONS.length} migration(s)`);

    const after = db(["status"], { DATABASE_URL: url });
    expect(after.status).toBe(0);
    expect(after.stdout).toContain("Database is up to date");
  });

  it("refuses reset without --yes when stdin is not a terminal, and explains bad usage on stderr", async () => {
    const url = await scratchDatabase();
    const reset = db(["reset"], { DATABASE_URL: url });
    expect(reset.status).toBe(1);
    expect(reset.stderr).toMatch(/--yes/);

    const noName = db(["diff"], { DATABASE_URL: url });
    expect(noName.status).toBe(1);
    expect(noName.stderr).toMatch(/--name <name> is required/);

    const unknown = db(["migrate"], { DATABASE_URL: url });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown command "migrate"/);

    const help = db(["diff", "--help"], { DATABASE_URL: url });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run db -- diff --name <name>/);
  });
});
