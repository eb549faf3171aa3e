import { z } from "zod";

/** Empty strings count as "not set", so `FOO=` in a .env file does not become a value. */
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const flag = (fallback: "0" | "1") =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), z.enum(["0", "1"], { error: "must be 0 or 1" }));
const positiveInt = (fallback: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), z.coerce.number().int().positive());

/** True for a URL a PostgreSQL client accepts (postgres: or postgresql:). */
export function isPostgresUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "postgres:" || u.protocol === "postgresql:";
  } catch {
    return false;
  }
}

export const DATABASE_URL_RULE = "must be a postgresql://user:password@host:port/database URL";

const databaseUrl = z.string().refine(isPostgresUrl, DATABASE_URL_RULE);

/**
 * How long the app's database work may wait (milliseconds): for a pool connection, for a
 * statement, for a lock, and idle inside an open transaction. Bounded waits turn one held
 * lock or a starved pool into a quick "busy" answer instead of requests that hang.
 */
const databaseTimeoutsSchema = z.object({
  DB_CONNECT_TIMEOUT_MS: positiveInt(5000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(30_000),
  DB_LOCK_TIMEOUT_MS: positiveInt(5000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt(60_000),
});

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.preprocess((v) => (v === "" || v === undefined ? 3000 : v), z.coerce.number().int().min(1).max(65535)),
    /** the app's login (sentinel_login, created by the migrations): never a superuser or the tables' owner */
    DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), databaseUrl.optional()),
    /** the owner's login, for migrations; DATABASE_URL when unset (development only: strict mode refuses a DATABASE_URL that could own) */
    DATABASE_OWNER_URL: z.preprocess((v) => (v === "" ? undefined : v), databaseUrl.optional()),
    /** the password of sentinel_login, when the app's URL is derived from the owner's (tests, benchmarks); else kept in .data/secrets.json */
    DATABASE_APP_PASSWORD: optionalString,
    NEXTAUTH_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(32, "must be at least 32 characters").optional()),
    NEXTAUTH_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
    SENTINEL_STRICT: flag("0"),
    /** auto: the demo in development, none with NODE_ENV=production or SENTINEL_STRICT=1 (lib/demo-mode.ts) */
    SENTINEL_DEMO: z.preprocess((v) => (v === "" || v === undefined ? "auto" : v), z.enum(["auto", "on", "off"], { error: "must be auto, on or off" })),
    /** the address `next start` listens on; 127.0.0.1 keeps the console off the network */
    HOST: z.preprocess(
      (v) => (v === "" || v === undefined ? "127.0.0.1" : v),
      z.string().regex(/^[A-Za-z0-9.:-]+$/, "must be a host name or an IP address, e.g. 127.0.0.1, 0.0.0.0 or ::"),
    ),
    SESSION_MAX_AGE_HOURS: positiveInt(8),
    SIGNIN_MAX_FAILURES: positiveInt(5),
    SIGNIN_WINDOW_MINUTES: positiveInt(15),
    /** proxies of yours in front of the console whose X-Forwarded-For is believed (0: none, the connection's address counts) */
    TRUSTED_PROXY_HOPS: z.preprocess((v) => (v === "" || v === undefined ? 0 : v), z.coerce.number().int().min(0).max(10)),
    OIDC_ISSUER: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: optionalString,
    API_READ_PER_MINUTE: positiveInt(600),
    API_INGEST_PER_MINUTE: positiveInt(60),
    API_MAX_JSON_BYTES: positiveInt(32 * 1024 * 1024),
    API_MAX_CSV_BYTES: positiveInt(8 * 1024 * 1024),
    ...databaseTimeoutsSchema.shape,
    /** connections the web server keeps to PostgreSQL; a few per core: more only queue inside the database */
    DB_POOL_MAX: positiveInt(10),
    /** days an API token lives unless its creator chooses otherwise ("never" must be asked for per token) */
    API_TOKEN_DAYS: z.preprocess((v) => (v === "" || v === undefined ? 90 : v), z.coerce.number().int().min(1).max(3650)),
    SENTINEL_DATA_DIR: optionalString,
    /** Ed25519 private key for ledger checkpoints (PKCS#8, DER base64 or PEM); generated into .data/secrets.json when unset */
    LEDGER_SIGNING_KEY: optionalString,
    /** the folder outside the database where each signed tree head is also written (one file per log); default <SENTINEL_DATA_DIR or .data>/witness */
    LEDGER_WITNESS_DIR: optionalString,
    /** minutes between scheduled checkpoints (signed only when the chain moved) */
    LEDGER_CHECKPOINT_MINUTES: positiveInt(60),
    ALERT_EVALUATION_MINUTES: positiveInt(10),
    SLICE_ROLLUP_MINUTES: positiveInt(1),
    /** minutes between weekend-mode runs of the minority events (a run confirms each event once, however many run at once) */
    WEEKEND_MODE_MINUTES: positiveInt(5),
    /**
     * 1 = outbound webhooks may target loopback and private addresses (tests, a receiver on
     * this machine); 0 = a webhook URL whose host resolves to one is refused, when it is
     * added and again at each delivery (lib/webhooks/address.ts)
     */
    WEBHOOK_ALLOW_PRIVATE: flag("0"),
    /** minutes between runs of the webhook dispatcher (due deliveries and retries) */
    WEBHOOK_DELIVERY_MINUTES: positiveInt(1),
    LOG_LEVEL: z.preprocess(
      (v) => (v === "" || v === undefined ? "info" : v),
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    ),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
    if (env.NODE_ENV === "production" && env.SENTINEL_STRICT === "1") {
      for (const key of ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when SENTINEL_STRICT=1 in production" });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "EnvError";
  }
}

/** Validates a set of variables; throws EnvError naming each wrong setting and its rule. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  return result.data;
}

export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

/**
 * The database timeouts alone, for code that builds pools outside the server (CLIs, tests,
 * benchmarks): unset means the defaults, and the rest of the environment (secrets, URLs a
 * CLI does not need) is not validated here. A wrong value still stops with its name.
 */
export function databaseTimeouts(source: Record<string, string | undefined> = process.env): DatabaseTimeouts {
  const result = databaseTimeoutsSchema.safeParse(source);
  if (!result.success) throw new EnvError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const t = result.data;
  return { connectMs: t.DB_CONNECT_TIMEOUT_MS, statementMs: t.DB_STATEMENT_TIMEOUT_MS, lockMs: t.DB_LOCK_TIMEOUT_MS, idleInTransactionMs: t.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS };
}

let cached: Env | undefined;

/** The process's settings, validated once. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
