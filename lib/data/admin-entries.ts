/**
 * Administration in the edit log: creating a user, changing a role, (de)activating an
 * account, issuing or revoking a token each append one entry, in the transaction of the
 * change itself, so a refused append refuses the change and nothing is ever changed
 * unrecorded. Entries name a signed-in person as their actor; the operator at the server's
 * shell (first-run seed, `npm run admin`) has no user id to name, and its changes are not
 * entries.
 */
import type { PoolClient } from "pg";
import type { AdminSubjectType, ADMIN_ACTIONS } from "@/lib/ledger/entry";
import type { Actor } from "@/lib/auth/actor";
import { appendEntry, userEntry } from "./ledger";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export async function appendAdminEntry<S extends AdminSubjectType>(
  client: PoolClient,
  actor: Actor,
  subjectType: S,
  subjectId: string,
  action: (typeof ADMIN_ACTIONS)[S][number],
  before: Json,
  after: Json,
): Promise<void> {
  if (actor.kind !== "user") return;
  await appendEntry(client, userEntry(actor, { subjectType, subjectId, action, before, after }), null);
}
