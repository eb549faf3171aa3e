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
  return (await settleAction(name, requireActor, body)).result;
}

/**
 * The same for a console route (lib/api/console.ts): the result, and the status it is
 * answered with (200, a domain error's own status, or 500 with a reference).
 */
export async function settleAction<T>(
  name: string,
  actor: () => Promise<SessionUser>,
  body: (actor: SessionUser) => Promise<T>,
): Promise<{ result: ActionResult<T>; status: number }> {
  try {
    const who = await actor();
    return { result: { ok: true, data: await body(who) }, status: 200 };
  } catch (thrown) {
    if (isRedirectError(thrown)) throw thrown;
    // A timeout or an exhausted pool is the database being busy, not a bug: say so, retryable.
    const error = asDomainError(thrown);
    if (error instanceof DatabaseBusyError) log.warn({ action: name, reason: error.reason, err: error.detail }, "database busy");
    if (error instanceof DomainError) {
      return { result: { ok: false, error: error.message, code: error.code, ...(error.fields ? { fieldErrors: error.fields } : {}) }, status: error.status };
    }
    const ref = logUnexpected(error, { action: name });
    return { result: { ok: false, error: `Something went wrong (reference ${ref}).`, code: "internal", ref }, status: 500 };
  }
}
