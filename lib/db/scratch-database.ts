import pg from "pg";

/** The URL of another database on the same server as `url`. */
function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Drops and recreates a database on the server of `url` (tests get a clean one per run).
 * Needs the CREATEDB privilege, which CI's `postgres` and the embedded server's user have.
 */
export async function recreateDatabase(url: string, database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Invalid database name: ${database}`);
  const client = new pg.Client({ connectionString: databaseUrlFor(url, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return databaseUrlFor(url, database);
}

/** Drops the database `url` names (a test's own database, when it is done). */
export async function dropDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrlFor(url, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
