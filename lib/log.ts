import { randomUUID } from "node:crypto";
import pino from "pino";

/** Structured JSON logs; anything that looks like a secret is redacted. */
export const log = pino({
  level: process.env.LOG_LEVEL || "info",
  base: { app: "sentinel-review" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "headers.cookie", "secret", "*.secret"],
    censor: "[redacted]",
  },
});

/** Logs an unexpected error and returns the reference id shown to the user. */
export function logUnexpected(error: unknown, context: Record<string, unknown>): string {
  const ref = randomUUID().slice(0, 8);
  log.error({ ref, ...context, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, "unexpected error");
  return ref;
}
