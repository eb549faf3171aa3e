/**
 * Domain errors: the data layer throws these, and the two shells translate them into the
 * one result shape (server actions) or a JSON error with the right status (route handlers).
 * Anything else is unexpected: logged with a reference id, shown generically.
 */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = "Sign in to continue.") {
    super("unauthenticated", 401, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You do not have permission to do this.") {
    super("forbidden", 403, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = "Not found.") {
    super("not_found", 404, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super("conflict", 409, message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fields?: FieldErrors) {
    super("invalid", 422, message, fields);
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", 429, message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super("too_large", 413, message);
  }
}

/**
 * The same request (same request id, same subject) was already recorded: a double submit or
 * a retry. The data layer answers such a replay with the first attempt's result; this only
 * reaches a client if a caller does not.
 */
export class ReplayedRequestError extends DomainError {
  constructor(message = "This request was already recorded.") {
    super("replayed", 409, message);
  }
}

/** The request itself cannot be read (malformed JSON, an unreadable body). */
export class BadRequestError extends DomainError {
  constructor(message: string) {
    super("bad_request", 400, message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super("unsupported_media_type", 415, message);
  }
}

/**
 * The database could not serve the request in time: a statement or lock timeout, a
 * transaction ended for idling, no pool connection free, or the server out of connections.
 * A retry a few seconds later usually succeeds, so routes answer 503 with Retry-After.
 */
export class DatabaseBusyError extends DomainError {
  constructor(
    readonly reason: DatabaseBusyReason,
    /** the driver's error, for the server's log only */
    readonly cause?: unknown,
    readonly retryAfterSeconds = 5,
  ) {
    super(
      "database_busy",
      503,
      reason === "disk_full"
        ? "The database is out of disk space; nothing of this request was stored. Try again once an operator has freed space."
        : "The database is busy; try again in a few seconds.",
    );
  }

  /** What the server logs: the reason and the driver's words (never shown to the client). */
  get detail(): string {
    return this.cause instanceof Error ? this.cause.message : this.reason;
  }
}

export type DatabaseBusyReason = "statement_timeout" | "lock_timeout" | "idle_in_transaction_timeout" | "pool_timeout" | "too_many_connections" | "disk_full";

/** SQLSTATEs of the busy kinds (PostgreSQL appendix A). */
const BUSY_CODES: Record<string, DatabaseBusyReason> = {
  "57014": "statement_timeout",
  "55P03": "lock_timeout",
  "25P03": "idle_in_transaction_timeout",
  "53300": "too_many_connections",
  // The server could not extend a file: nothing of the statement's transaction is kept.
  "53100": "disk_full",
};

/**
 * The busy reason hidden in an error, if any: pg's own errors carry the SQLSTATE in `code`;
 * Prisma's adapter wraps them (`originalCode`, `kind`, under `cause` or `meta`); pg-pool's
 * connect timeout is only a message.
 */
export function databaseBusyReason(error: unknown, depth = 0): DatabaseBusyReason | null {
  if (depth > 4 || error === null || typeof error !== "object") return null;
  if (error instanceof DatabaseBusyError) return error.reason;
  const e = error as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: unknown; driverAdapterError?: unknown };
  for (const code of [e.code, e.originalCode]) if (typeof code === "string" && BUSY_CODES[code]) return BUSY_CODES[code];
  if (e.kind === "TooManyConnections") return "too_many_connections";
  if (typeof e.message === "string") {
    if (/timeout exceeded when trying to connect/i.test(e.message)) return "pool_timeout";
    if (/canceling statement due to statement timeout/i.test(e.message)) return "statement_timeout";
    if (/canceling statement due to lock timeout/i.test(e.message)) return "lock_timeout";
    if (/idle-in-transaction timeout/i.test(e.message)) return "idle_in_transaction_timeout";
  }
  for (const inner of [e.cause, e.meta, e.driverAdapterError]) {
    const found = databaseBusyReason(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The error as a DatabaseBusyError when the database was busy; otherwise the error itself. */
export function asDatabaseBusy(error: unknown): unknown {
  if (error instanceof DatabaseBusyError) return error;
  const reason = databaseBusyReason(error);
  return reason ? new DatabaseBusyError(reason, error) : error;
}

/**
 * SQLSTATEs of values PostgreSQL refuses to store or read as asked (class 22): a NUL byte
 * in text, a character outside UTF-8, text or a number out of range, text that is not the
 * type it was cast to. They reach the database only when a check upstream let the value
 * through; the request is still the client's, so it is a 422, not a 500.
 */
const UNSTORABLE_CODES = new Set(["22021", "22P05", "22001", "22003", "22P02", "22007", "22008"]);

function sqlStateOf(error: unknown, depth = 0): string | null {
  if (depth > 4 || error === null || typeof error !== "object") return null;
  const e = error as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: unknown; driverAdapterError?: unknown };
  for (const code of [e.code, e.originalCode]) if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  for (const inner of [e.cause, e.meta, e.driverAdapterError]) {
    const found = sqlStateOf(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * What the routes and the actions answer for a thrown error: a busy database as
 * DatabaseBusyError (503), a value the database cannot store as ValidationError (422),
 * anything else as it is (a DomainError keeps its status; the rest is a 500 with a reference).
 */
export function asDomainError(error: unknown): unknown {
  const busy = asDatabaseBusy(error);
  if (busy !== error) return busy;
  const state = sqlStateOf(error);
  if (state && UNSTORABLE_CODES.has(state)) {
    return new ValidationError("The input holds a character or value that cannot be stored (a NUL byte, text or a number out of range).");
  }
  return error;
}
