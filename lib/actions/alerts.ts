"use server";

import { revalidatePath } from "next/cache";
import { acknowledgeAlert, evaluateAlerts } from "@/lib/data/alerts";
import { type ActionResult, runAction } from "./result";

export async function acknowledgeAlertAction(input: unknown): Promise<ActionResult<{ seq: string; replayed: boolean }>> {
  return runAction("acknowledgeAlert", async (actor) => {
    const entry = await acknowledgeAlert(actor, input);
    revalidatePath("/governance/alerts");
    return { seq: entry.seq, replayed: entry.replayed };
  });
}

export async function evaluateAlertsAction(): Promise<ActionResult<{ raised: number }>> {
  return runAction("evaluateAlerts", async (actor) => {
    const raised = await evaluateAlerts(actor);
    revalidatePath("/governance/alerts");
    return { raised };
  });
}
