import type { z } from "zod";

/** Turns a zod error into `{ field: [messages] }` keyed by the field's path. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    addFieldError(out, key, issue.message);
  }
  return out;
}

/**
 * Adds a message under a field name. A name such as `__proto__` or `constructor` (a key a
 * client sent) is a field like any other here, never the object's prototype.
 */
export function addFieldError(out: Record<string, string[]>, key: string, message: string): void {
  if (Object.hasOwn(out, key)) out[key]!.push(message);
  else Object.defineProperty(out, key, { value: [message], enumerable: true, writable: true, configurable: true });
}
