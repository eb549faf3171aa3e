/**
 * Runs once when the web server starts (Next.js instrumentation): the console's scheduled
 * work (lib/data/scheduler.ts: edit-log checkpoints, weekend-mode automation of minority
 * events, governance alert evaluation, webhook deliveries). Not during `next build`, not on the edge.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ startSchedules }, { loadEnv }, { log }] = await Promise.all([import("@/lib/data/scheduler"), import("@/lib/env"), import("@/lib/log")]);
  startSchedules(loadEnv(), (message) => log.info(message));
}
