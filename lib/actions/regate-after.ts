import { revalidatePath } from "next/cache";
import { regateQueue } from "@/lib/data/regating";
import { log } from "@/lib/log";

/**
 * After an approval that started a re-gating run (a policy activation, a reference-scorer
 * promotion): up to a second here, so a small queue shows re-gated on the next page; the
 * rest runs on, and the scheduler resumes it if the process stops.
 */
export async function regateAfterApproval(): Promise<void> {
  const run = regateQueue().then(
    () => revalidatePath("/queue"),
    (error: unknown) => log.error({ err: error }, "re-gating failed"),
  );
  await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
}
