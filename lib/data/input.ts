import type { z } from "zod";
import { BadRequestError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validations/field-errors";

/** Parses input with a shared schema; invalid input never reaches the database. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError("Some fields are not valid.", fieldErrorsOf(result.error));
  return result.data;
}

/** A unique-constraint violation from plain SQL (the pg driver's SQLSTATE; Prisma reports P2002). */
export function isPgUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/** Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

/** A request body's text as JSON, refusing malformed JSON (400) with the parser's reason. */
export function parseJsonText(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON (${(error as Error).message}).`);
  }
}

/** A JSON-only request body (`what`: "the labels", "the model card"): another media type is a 415, malformed JSON a 400. */
export function parseJsonBody(body: string, contentType: string | null, what: string): unknown {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError(`Send ${what} as application/json (got ${type ? `"${type}"` : "no Content-Type"}).`);
  return parseJsonText(body);
}
