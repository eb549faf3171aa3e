"use server";

import { revalidatePath } from "next/cache";
import { createWebhookSubscription, setWebhookActive } from "@/lib/data/webhooks";
import type { WebhookEventType } from "@/lib/validations/webhooks";
import { type ActionResult, runAction } from "./result";

// The data layer parses the input with the shared zod schema, checks the URL's host and
// the acting user's permission; nothing here trusts the caller.

export async function createWebhookAction(input: {
  name: string;
  url: string;
  events: WebhookEventType[];
  secret?: string;
}): Promise<ActionResult<{ id: string; name: string; secret: string }>> {
  return runAction("createWebhook", async (actor) => {
    const { subscription, secret } = await createWebhookSubscription(actor, input);
    revalidatePath("/admin/webhooks");
    return { id: subscription.id, name: subscription.name, secret };
  });
}

export async function setWebhookActiveAction(input: { id: string; active: boolean }): Promise<ActionResult> {
  return runAction("setWebhookActive", async (actor) => {
    await setWebhookActive(actor, input);
    revalidatePath("/admin/webhooks");
    return null;
  });
}
