import { describe, expect, it } from "vitest";
import { databaseTimeouts, EnvError, parseEnv } from "./env";

describe("environment", () => {
  it("has working defaults with nothing set", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SENTINEL_DEMO).toBe("auto");
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.API_READ_PER_MINUTE).toBe(600);
    expect(env.API_INGEST_PER_MINUTE).toBe(60);
    expect(env.API_TOKEN_DAYS).toBe(90);
  });

  it("names the wrong setting and its rule", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: "mysql://x@y/z" }, /DATABASE_URL: must be a postgresql:\/\//],
      [{ DATABASE_URL: "not a url" }, /DATABASE_URL: must be a postgresql:\/\//],
      [{ PORT: "70000" }, /PORT:/],
      [{ PORT: "abc" }, /PORT:/],
      [{ NEXTAUTH_SECRET: "short" }, /NEXTAUTH_SECRET: must be at least 32 characters/],
      [{ SENTINEL_DEMO: "maybe" }, /SENTINEL_DEMO: must be auto, on or off/],
      [{ HOST: "0.0.0.0 --inspect" }, /HOST: must be a host name or an IP address/],
      [{ API_TOKEN_DAYS: "never" }, /API_TOKEN_DAYS:/],
      [{ API_TOKEN_DAYS: "0" }, /API_TOKEN_DAYS:/],
      [{ OIDC_ISSUER: "https://id.example.com" }, /OIDC_ISSUER: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseEnv(source)).toThrow(EnvError);
      expect(() => parseEnv(source)).toThrow(message);
    }
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("requires secrets in strict production", () => {
    expect(() => parseEnv({ NODE_ENV: "production", SENTINEL_STRICT: "1" })).toThrow(/NEXTAUTH_SECRET: is required when SENTINEL_STRICT=1/);
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        SENTINEL_STRICT: "1",
        DATABASE_URL: "postgresql://u:p@db:5432/sentinel",
        NEXTAUTH_SECRET: "x".repeat(40),
        NEXTAUTH_URL: "https://review.example.com",
      }),
    ).not.toThrow();
  });

  it("has database timeouts with defaults, readable without the rest of the environment", () => {
    expect(parseEnv({})).toMatchObject({ DB_CONNECT_TIMEOUT_MS: 5000, DB_STATEMENT_TIMEOUT_MS: 30_000, DB_LOCK_TIMEOUT_MS: 5000, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000 });
    expect(databaseTimeouts({})).toEqual({ connectMs: 5000, statementMs: 30_000, lockMs: 5000, idleInTransactionMs: 60_000 });
    // A CLI with a setting the server would refuse (a short secret) still gets its timeouts.
    expect(databaseTimeouts({ NEXTAUTH_SECRET: "short", DB_LOCK_TIMEOUT_MS: "250" }).lockMs).toBe(250);
    expect(() => databaseTimeouts({ DB_STATEMENT_TIMEOUT_MS: "0" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => parseEnv({ DB_LOCK_TIMEOUT_MS: "soon" })).toThrow(/DB_LOCK_TIMEOUT_MS/);
  });
});
