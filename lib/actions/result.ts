import { isRedirectError } from "next/dist/client/components/redirect-error";
import { requireActor, type SessionUser } from "@/lib/auth/session";
import { asDomainError, DatabaseBusyError, DomainError, type FieldErrors } from "@/lib/errors";
import { log, logUnexpected } from "@/lib/log";

/** The one result shape of every server action. */
export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: string; code: string; fieldErrors?: FieldErrors; ref?: string };

/**
 * Runs a server action body for the signed-in user. Expected (domain) errors reach the
 * client as they are; anything else is logged with a reference id and shown generically.
 */
export async function runAction<T>(name: string, body: (actor: SessionUser) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const actor = await requireActor();
    return { ok: true, data: await body(actor) };
  } catch (thrown) {
    if (isRedirectError(thrown)) throw thrown;
    // A timeout or an exhausted pool is the database being busy, not a bug: say so, retryable.
    const error = asDomainError(thrown);
    if (error instanceof DatabaseBusyError) log.warn({ action: name, reason: error.reason, err: error.detail }, "database busy");
    if (error instanceof DomainError) {
      return { ok: false, error: error.message, code: error.code, ...(error.fields ? { fieldErrors: error.fields } : {}) };
    }
    const ref = logUnexpected(error, { action: name });
    return { ok: false, error: `Something went wrong (reference ${ref}).`, code: "internal", ref };
  }
}
