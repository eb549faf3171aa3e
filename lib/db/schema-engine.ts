/**
 * Prisma's schema engine (migrations, diff) as WebAssembly, driven through the pg driver
 * adapter: no native `schema-engine` binary and no download, so it works offline.
 *
 * The package's ESM entry does `import * as wasm from "./schema_engine_bg.wasm"`, which
 * Node 20 refuses. We load the JS glue ourselves, compile the .wasm that sits beside it,
 * and wire the two together the way the entry would have done.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

export type {
  ApplyMigrationsOutput,
  DiffParams,
  DiffResult,
  DiffTarget,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";

type GlueModule = typeof glue & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
};

type WasmExports = WebAssembly.Exports & { __wbindgen_start(): void };

let initialised: Promise<void> | undefined;

/**
 * The engine reports a Rust panic through this global (the glue calls
 * `global.PRISMA_WASM_PANIC_REGISTRY.set_message(...)` and then traps with "unreachable");
 * without it the panic becomes an unrelated TypeError thrown from inside the glue.
 * Prisma's CLI installs the same object.
 */
type PanicRegistry = { message: string; set_message(message: string): void };
const panicGlobal = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
panicGlobal.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: "",
  set_message(message: string) {
    this.message = message;
  },
};

/**
 * The message of the engine's last panic in this process, if any. A panic traps inside a
 * microtask, so it surfaces as an uncaught `WebAssembly.RuntimeError: unreachable`, not as
 * a rejected promise; CLIs print this from their `uncaughtException` handler. After a panic
 * the WebAssembly instance is unusable: openSchemaEngine refuses to continue.
 */
export function schemaEnginePanicMessage(): string | undefined {
  return panicGlobal.PRISMA_WASM_PANIC_REGISTRY?.message || undefined;
}

function wasmPath(): string {
  // The package's `exports` map has no "./package.json" and no ".wasm" entry: resolve the
  // glue module (which is exported) and take the file beside it.
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  return path.join(path.dirname(gluePath), "schema_engine_bg.wasm");
}

/**
 * The glue module's exports are the instance's imports, with one change: the engine arms a
 * `setTimeout` for its timeouts (e.g. 10 s around the migration advisory lock) and has no
 * way to clear it, so a CLI would linger 10 s after its work is done. Its timers are unref'd:
 * they still fire while the process has work, but do not keep it alive by themselves.
 */
function gluedImports(): WebAssembly.ModuleImports {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(imports)) {
    if (!name.startsWith("__wbg_setTimeout_")) continue;
    imports[name] = (callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms >>> 0);
      timer.unref();
      return timer;
    };
  }
  return imports as WebAssembly.ModuleImports;
}

/** Compiles and instantiates the engine's WebAssembly module once per process. */
function initSchemaEngineWasm(): Promise<void> {
  initialised ??= (async () => {
    const bytes = await readFile(wasmPath());
    const compiled = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(compiled, { "./schema_engine_bg.js": gluedImports() });
    (glue as GlueModule).__wbg_set_wasm(instance.exports);
    (instance.exports as WasmExports).__wbindgen_start();
  })().catch((error: unknown) => {
    initialised = undefined;
    throw error;
  });
  return initialised;
}

export type SchemaEngineLogger = (message: string) => void;

export type OpenSchemaEngineOptions = {
  /** Prisma schema file (path, text) the engine starts with; the operations used here pass schemas explicitly. */
  schema?: { path: string; content: string };
  /** Receives the engine's own log lines (JSON, one per event). Silent by default. */
  log?: SchemaEngineLogger;
};

export type OpenedSchemaEngine = {
  engine: SchemaEngine;
  /**
   * Names of the shadow databases the engine asked for (each created on the server of the
   * connection string, used once, and dropped when the engine is done with it or on close).
   */
  shadowDatabases: readonly string[];
  /** Frees the engine, drops any shadow database still there, ends the connection pools. */
  close(): Promise<void>;
};

type PgQueryResult = { fields: { dataTypeID: number }[]; rows: unknown[] };
type ResultSet = { columnTypes: number[]; rows: unknown[] };

type PgAdapterInternals = {
  underlyingDriver(): pg.Pool;
  onError(error: unknown): never;
  performIO(query: unknown): Promise<PgQueryResult>;
  queryRaw(query: unknown): Promise<ResultSet>;
  startTransaction(isolationLevel?: unknown): Promise<unknown>;
};

/**
 * PostgreSQL catalog types that `@prisma/adapter-pg` (7.10) refuses with
 * "Column type '<type>' could not be deserialized from the database", although pg hands
 * their values over as plain strings. The engine's own catalog queries return some of them,
 * so without this no diff or status could describe a database.
 *
 * `"char"` (the one-byte type of `pg_class.relkind`, `pg_constraint.contype`, …) must reach
 * the engine as a *character* column: given as text, the describer panics
 * ("Getting constraint_type … as char failed") on the first CHECK constraint. The others
 * are passed on as text.
 */
const PG_CHAR_OID = 18;
const CATALOG_TEXT_TYPES = new Set([
  22, // int2vector
  24, // regproc
  28, // xid
  30, // oidvector
  194, // pg_node_tree
  2205, // regclass
  2206, // regtype
]);
const TEXT_OID = 25;
/** ColumnTypeEnum.Character of @prisma/driver-adapter-utils. */
const CHARACTER_COLUMN = 6;
/** Marks, on the rows array that queryRaw passes through unchanged, which columns were "char". */
const CHAR_COLUMNS = Symbol("charColumns");

function relabelCatalogTypes(queryable: PgAdapterInternals): void {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query: unknown) => {
    const result = await performIO(query);
    const charColumns: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(index);
      } else if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) {
        field.dataTypeID = TEXT_OID;
      }
    });
    if (charColumns.length > 0) Object.assign(result.rows, { [CHAR_COLUMNS]: charColumns });
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query: unknown) => {
    const result = await queryRaw(query);
    const charColumns = (result.rows as unknown as { [CHAR_COLUMNS]?: number[] })[CHAR_COLUMNS];
    for (const index of charColumns ?? []) result.columnTypes[index] = CHARACTER_COLUMN;
    return result;
  };
}

/**
 * Makes the pg adapter fit for the schema engine's catalog queries and migration scripts:
 *
 * - `executeScript`: the adapter splits the script on ";" and sends the pieces one by one.
 *   That breaks every migration with a PL/pgSQL body (`$$ ... ; ... $$` → "unterminated
 *   dollar-quoted string") and runs the pieces outside one implicit transaction. The native
 *   schema engine sends a migration script as one simple-protocol query; so do we.
 * - catalog column types: see PG_CHAR_OID and CATALOG_TEXT_TYPES.
 */
function fitForSchemaEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as unknown as PgAdapterInternals;
  adapter.executeScript = async (script: string) => {
    try {
      await internals.underlyingDriver().query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  relabelCatalogTypes(internals);
  const startTransaction = internals.startTransaction.bind(internals);
  internals.startTransaction = async (isolationLevel?: unknown) => {
    const transaction = await startTransaction(isolationLevel);
    relabelCatalogTypes(transaction as PgAdapterInternals);
    return transaction;
  };
  return adapter;
}

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}

function newPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 4 });
  // A server that stops makes idle clients emit errors; unhandled they would crash Node.
  pool.on("error", () => {});
  return pool;
}

const SHADOW_PREFIX = "sr_shadow_";
/** Older shadow databases are leftovers of a crashed run (a replay takes seconds), dropped on sight. */
const STALE_SHADOW_MS = 60 * 60 * 1000;

/** `sr_shadow_<YYYYMMDDHHMMSS UTC>_<random>`: the name says when it was made, for clean-up. */
function shadowDatabaseName(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  return `${SHADOW_PREFIX}${stamp}_${globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}

function shadowDatabaseAge(name: string, now: Date): number | null {
  const m = /^sr_shadow_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_[0-9a-f]+$/.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return now.getTime() - Date.UTC(y, mo - 1, d, h, mi, s);
}

async function dropStaleShadowDatabases(pool: pg.Pool): Promise<void> {
  const now = new Date();
  const { rows } = await pool.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'sr\\_shadow\\_%'`,
  );
  for (const { datname } of rows) {
    const age = shadowDatabaseAge(datname, now);
    if (age !== null && age > STALE_SHADOW_MS) {
      await pool.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}

/** The same server and credentials as `connectionString`, another database. */
function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Opens a schema engine connected to `connectionString` through `@prisma/adapter-pg`.
 *
 * Shadow databases (needed by `diff` from `{ tag: "migrations" }`, `devDiagnostic`,
 * `createMigration`…) are created by us as `sr_shadow_<UTC stamp>_<random>` on the same server — the role
 * needs CREATEDB — and dropped (`WITH (FORCE)`) as soon as the engine disposes of them, or at
 * the latest by `close()`. The target database itself is not changed by them.
 */
export async function openSchemaEngine(
  connectionString: string,
  options: OpenSchemaEngineOptions = {},
): Promise<OpenedSchemaEngine> {
  const panic = schemaEnginePanicMessage();
  if (panic) throw new Error(`The schema engine crashed earlier in this process and cannot be used again: ${panic}`);
  await initSchemaEngineWasm();
  const pools: pg.Pool[] = [];
  const shadowDatabases: string[] = [];
  const liveShadowDatabases = new Set<string>();
  const shadowPoolEnders: (() => Promise<void>)[] = [];
  let adminPool: pg.Pool | undefined;
  let staleChecked = false;
  const admin = () => {
    if (!adminPool) {
      adminPool = newPool(connectionString);
      pools.push(adminPool);
    }
    return adminPool;
  };
  const dropShadowDatabase = async (name: string) => {
    if (!liveShadowDatabases.delete(name)) return;
    await admin().query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const pool = newPool(connectionString);
      pools.push(pool);
      return fitForSchemaEngine(await new PrismaPg(pool).connect());
    },
    // Not the adapter's own connectToShadowDb: it creates `prisma_migrate_shadow_db_<uuid>`
    // and then builds its pool from `{ connectionString, database }`, where pg lets the
    // connection string win — it would run the migrations against the main database.
    // The engine also expects a fresh, empty database on every call.
    async connectToShadowDb() {
      if (!staleChecked) {
        staleChecked = true;
        await dropStaleShadowDatabases(admin()).catch(() => {});
      }
      const name = shadowDatabaseName(new Date());
      await admin().query(`CREATE DATABASE "${name}"`);
      shadowDatabases.push(name);
      liveShadowDatabases.add(name);
      const pool = newPool(withDatabase(connectionString, name));
      const endPool = once(() => pool.end().catch(() => {}));
      shadowPoolEnders.push(endPool);
      const adapter = fitForSchemaEngine(await new PrismaPg(pool).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        try {
          await dispose();
          await endPool();
        } finally {
          await dropShadowDatabase(name);
        }
      };
      return adapter;
    },
  };
  const datamodels: [string, string][] | undefined = options.schema
    ? [[options.schema.path, options.schema.content]]
    : undefined;
  const log = options.log;
  const callback = (message: string) => {
    if (log) log(String(message));
  };
  const engine = await glue.SchemaEngine.new(
    { datamodels },
    callback,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  let closed: Promise<void> | undefined;
  return {
    engine,
    shadowDatabases,
    close() {
      closed ??= (async () => {
        engine.free();
        await Promise.allSettled(shadowPoolEnders.map((end) => end()));
        for (const name of [...liveShadowDatabases]) {
          await dropShadowDatabase(name).catch(() => {});
        }
        await Promise.allSettled(pools.map((pool) => pool.end()));
      })();
      return closed;
    },
  };
}
