import { z } from "zod";
import { API_SCOPES, ROLES } from "@/lib/auth/permissions";

export const emailField = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "must be an email address" }));

export const passwordField = z
  .string({ error: "is required" })
  .min(12, { error: "must be at least 12 characters" })
  .max(200, { error: "must be at most 200 characters" });

export const roleField = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });

export const scopeField = z.enum(API_SCOPES, { error: `must be one of ${API_SCOPES.join(", ")}` });

export const scopesField = z
  .array(scopeField)
  .min(1, { error: "choose at least one scope" })
  .transform((s) => [...new Set(s)]);

export const idField = z.uuid({ error: "must be an id" });

export const createUserInput = z.object({
  email: emailField,
  name: z.string().trim().min(1, { error: "is required" }).max(120, { error: "must be at most 120 characters" }),
  role: roleField,
  password: passwordField,
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const changeRoleInput = z.object({ userId: idField, role: roleField });
export const setActiveInput = z.object({ userId: idField, active: z.boolean() });

export const createServiceAccountInput = z.object({
  email: emailField,
  name: z.string().trim().min(1, { error: "is required" }).max(120),
  allowedScopes: scopesField,
});

export const setAllowedScopesInput = z.object({ userId: idField, allowedScopes: scopesField });

const perMinuteField = z
  .number({ error: "must be a number of requests per minute" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be at least 1" })
  .max(1_000_000, { error: "must be at most 1000000" });

export const createTokenInput = z.object({
  ownerId: idField,
  name: z.string().trim().min(1, { error: "is required" }).max(80, { error: "must be at most 80 characters" }),
  scopes: scopesField,
  /** days until it expires; "never" only when asked for; absent: the deployment default (API_TOKEN_DAYS) */
  expiresInDays: z
    .union([
      z.literal("never"),
      z
        .number({ error: "must be a number of days or \"never\"" })
        .int({ error: "must be a whole number of days" })
        .min(1, { error: "must be at least 1 day" })
        .max(3650, { error: "must be at most 3650 days" }),
    ], { error: "must be a number of days or \"never\"" })
    .optional(),
  /** per-token limits; absent or null: the deployment's defaults (API_READ_PER_MINUTE, API_INGEST_PER_MINUTE) */
  readPerMinute: perMinuteField.nullable().optional(),
  ingestPerMinute: perMinuteField.nullable().optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const changePasswordInput = z
  .object({ currentPassword: z.string().min(1, { error: "is required" }), newPassword: passwordField })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    error: "must differ from the current password",
  });
