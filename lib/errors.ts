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
