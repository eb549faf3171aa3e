"use server";

import { revalidatePath } from "next/cache";
import { deleteSavedView, saveView, type SavedView } from "@/lib/data/saved-views";
import { type ActionResult, runAction } from "./result";

export async function saveViewAction(input: { name: string; query: string; shared?: boolean }): Promise<ActionResult<SavedView>> {
  return runAction("saveView", async (actor) => {
    const view = await saveView(actor, input);
    revalidatePath("/queue");
    return view;
  });
}

export async function deleteViewAction(input: { id: string }): Promise<ActionResult> {
  return runAction("deleteView", async (actor) => {
    await deleteSavedView(actor, input);
    revalidatePath("/queue");
    return null;
  });
}
