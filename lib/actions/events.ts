"use server";

import { actOnEvent, actOnReport } from "@/lib/data/events/actions";
import { type ActionResult, runAction } from "./result";

/** Confirm, override, finalise, reopen or note an event; the data layer checks role, input and version. */
export async function actOnEventAction(input: unknown): Promise<ActionResult<{ seq: string; replayed: boolean }>> {
  return runAction("actOnEvent", async (actor) => {
    const out = await actOnEvent(actor, input);
    return { seq: out.seq, replayed: out.replayed };
  });
}

/** Confirm, override or note one report; the data layer checks role, input and version. */
export async function actOnReportAction(input: unknown): Promise<ActionResult<{ seq: string; replayed: boolean }>> {
  return runAction("actOnReport", async (actor) => {
    const out = await actOnReport(actor, input);
    return { seq: out.seq, replayed: out.replayed };
  });
}
