/**
 * Runs once when the web server starts (Next.js instrumentation): the scheduled Ed25519
 * checkpoints of the edit log (docs/ledger.md) and the weekend-mode automation of minority
 * events (every 5 minutes). Not during `next build`, not on the edge.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ startCheckpointSchedule }, { startWeekendAutomation }, { loadEnv }, { log }] = await Promise.all([
    import("@/lib/data/checkpoints"),
    import("@/lib/data/events/schedules"),
    import("@/lib/env"),
    import("@/lib/log"),
  ]);
  startCheckpointSchedule(loadEnv().LEDGER_CHECKPOINT_MINUTES, (message) => log.info(message));
  startWeekendAutomation(5, (message) => log.info(message));
}
