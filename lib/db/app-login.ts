/**
 * The app's own database login (governance spec §1). Migrations run as the owner
 * (DATABASE_OWNER_URL); the app's pool logs in as `sentinel_login` (DATABASE_URL), which is
 * no superuser, owns nothing and is not a member of the owner, and runs as `sentinel_app`.
 * So nothing the app's connections can say (`SET ROLE NONE`, `session_replication_role`)
 * reaches the owner's rights over the edit log.
 */
import pg from "pg";
import { localSecret } from "../secrets";

/** Created by the migrations (server-wide, like every role); a member of sentinel_app. */
export const APP_LOGIN_ROLE = "sentinel_login";

/** DATABASE_APP_PASSWORD when set, else the one kept in .data/secrets.json (the embedded server sets it at start). */
export function appLoginPassword(): string {
  return process.env.DATABASE_APP_PASSWORD || localSecret("appDatabasePassword");
}

/** The app's login on the server and database `ownerUrl` names: same host, port, database and options. */
export function appLoginUrl(ownerUrl: string, password: string = appLoginPassword()): string {
  const url = new URL(ownerUrl);
  url.username = APP_LOGIN_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Makes the login role exist with `password` (the embedded server, at every start: it asks
 * for passwords). The migrations create it too, without a password, for servers whose
 * operator sets one; CREATE ROLE here only so the first start can log in before them.
 */
export async function provisionAppLogin(ownerUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_LOGIN_ROLE])).rowCount;
    const literal = (await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [password])).rows[0]!.q;
    if (!exists) {
      try {
        await client.query(`CREATE ROLE ${APP_LOGIN_ROLE} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "42710") throw error; // created concurrently
      }
    }
    await client.query(`ALTER ROLE ${APP_LOGIN_ROLE} PASSWORD ${literal}`);
  } finally {
    await client.end();
  }
}

export interface AppLoginProblems {
  /** the user `appUrl` logs in as */
  login: string;
  problems: string[];
}

/**
 * What is wrong with the user `appUrl` logs in as, for an app connection: a superuser (or a
 * role that bypasses row security, creates roles or replicates), a role that owns the
 * tables, or a member of their owner — each could rewrite the edit log. Null when sound.
 */
export async function appLoginProblems(appUrl: string): Promise<AppLoginProblems | null> {
  const client = new pg.Client({ connectionString: appUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const row = (
      await client.query<{ name: string; super: boolean; powers: string[]; owns: boolean; owner: string | null; member_of_owner: boolean }>(
        `SELECT r.rolname AS name, r.rolsuper AS super,
                array_remove(ARRAY[CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END, CASE WHEN r.rolreplication THEN 'REPLICATION' END, CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END], NULL) AS powers,
                EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.proowner = r.oid) AS owns,
                o.rolname AS owner,
                COALESCE(o.oid <> r.oid AND pg_has_role(r.oid, o.oid, 'MEMBER'), false) AS member_of_owner
           FROM pg_roles r
           LEFT JOIN pg_class log ON log.oid = to_regclass('edit_log')
           LEFT JOIN pg_roles o ON o.oid = log.relowner
          WHERE r.rolname = session_user`,
      )
    ).rows[0]!;
    const problems: string[] = [];
    if (row.super) problems.push("a superuser");
    if (row.powers.length) problems.push(`a role with ${row.powers.join(", ")}`);
    if (row.owns) problems.push("the owner of tables or functions");
    if (row.member_of_owner) problems.push(`a member of "${row.owner}", the owner of the edit log`);
    return problems.length ? { login: row.name, problems } : null;
  } finally {
    await client.end();
  }
}

/** The start-up check's words: what is wrong and how to fix it. */
export function appLoginAdvice({ login, problems }: AppLoginProblems): string {
  return (
    `DATABASE_URL logs in as "${login}", ${problems.join("; ")}: such a login could rewrite the edit log. ` +
    `Give the app its own login: DATABASE_URL=postgresql://${APP_LOGIN_ROLE}:<password>@<host>/<database> ` +
    `(the role is created by the migrations; set its password with ALTER ROLE ${APP_LOGIN_ROLE} PASSWORD '…'), ` +
    `and the owner's URL, for migrations, in DATABASE_OWNER_URL. See docs/operations.md.`
  );
}
