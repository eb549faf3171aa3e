"use server";

import { revalidatePath } from "next/cache";
import type { ApiScope, Role } from "@/lib/auth/permissions";
import { createServiceAccount, createToken, revokeToken, setAllowedScopes, setServiceAccountActive, type TokenRow } from "@/lib/data/tokens";
import { changeOwnPassword, changeRole, createUser, setUserActive } from "@/lib/data/users";
import { type ActionResult, runAction } from "./result";

// Each action: the data layer parses the input with the shared zod schema and checks the
// acting user's permission; nothing here trusts the caller.

export async function createUserAction(input: { email: string; name: string; role: Role; password: string }): Promise<ActionResult<{ id: string }>> {
  return runAction("createUser", async (actor) => {
    const user = await createUser(actor, input);
    revalidatePath("/admin/users");
    return { id: user.id };
  });
}

export async function changeRoleAction(input: { userId: string; role: Role }): Promise<ActionResult> {
  return runAction("changeRole", async (actor) => {
    await changeRole(actor, input);
    revalidatePath("/admin/users");
    return null;
  });
}

export async function setUserActiveAction(input: { userId: string; active: boolean }): Promise<ActionResult> {
  return runAction("setUserActive", async (actor) => {
    await setUserActive(actor, input);
    revalidatePath("/admin/users");
    return null;
  });
}

export async function createServiceAccountAction(input: { email: string; name: string; allowedScopes: ApiScope[] }): Promise<ActionResult<{ id: string }>> {
  return runAction("createServiceAccount", async (actor) => {
    const account = await createServiceAccount(actor, input);
    revalidatePath("/admin/service-accounts");
    return { id: account.id };
  });
}

export async function setAllowedScopesAction(input: { userId: string; allowedScopes: ApiScope[] }): Promise<ActionResult> {
  return runAction("setAllowedScopes", async (actor) => {
    await setAllowedScopes(actor, input);
    revalidatePath("/admin/service-accounts");
    return null;
  });
}

export async function setServiceAccountActiveAction(input: { userId: string; active: boolean }): Promise<ActionResult> {
  return runAction("setServiceAccountActive", async (actor) => {
    await setServiceAccountActive(actor, input);
    revalidatePath("/admin/service-accounts");
    return null;
  });
}

export async function createTokenAction(input: {
  ownerId: string;
  name: string;
  scopes: ApiScope[];
  expiresInDays?: number | "never";
}): Promise<ActionResult<{ token: string; row: TokenRow }>> {
  return runAction("createToken", async (actor) => {
    const created = await createToken(actor, input);
    revalidatePath("/admin/tokens");
    return created;
  });
}

export async function revokeTokenAction(input: { tokenId: string }): Promise<ActionResult> {
  return runAction("revokeToken", async (actor) => {
    await revokeToken(actor, String(input?.tokenId ?? ""));
    revalidatePath("/admin/tokens");
    return null;
  });
}

export async function changePasswordAction(input: { currentPassword: string; newPassword: string }): Promise<ActionResult> {
  return runAction("changePassword", async (actor) => {
    await changeOwnPassword(actor, input);
    return null;
  });
}
