import type { z } from "zod";
import { ValidationError } from "@/lib/errors";
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
