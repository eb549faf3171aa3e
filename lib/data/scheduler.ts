/**
 * The console's one scheduler: the periodic work of the web server (instrumentation.ts),
 * each at its interval from lib/env.ts, as the system (the operator). A task's failure is
 * logged, never thrown; a slow run is not started again until it ends; a process starts
 * each task once (dev reloads included).
 */
import { OPERATOR } from "@/lib/auth/actor";
import type { Env } from "@/lib/env";
import { evaluateAlerts } from "./alerts";
import { createCheckpoint } from "./checkpoints";
import { runWeekendAutomation } from "./events/schedules";
import { drainSliceRollup } from "./slices";
import { drainEventReportRollup } from "./events/governance";
import { regateQueue } from "./regating";
import { resumeStalledWhatIfs } from "./what-if";
import { deliverDueWebhooks } from "./webhooks";

type Log = (message: string) => void;
const started = globalThis as unknown as { sentinelSchedules?: Set<string> };

/** Runs `task` every `minutes` (and once after `firstAfterMs`); its message, if any, is logged. */
function every(name: string, minutes: number, firstAfterMs: number, task: () => Promise<string | null>, log: Log): void {
  started.sentinelSchedules ??= new Set();
  if (started.sentinelSchedules.has(name)) return;
  started.sentinelSchedules.add(name);
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    task()
      .then((message) => message && log(message), (error: unknown) => log(`${name} failed: ${(error as Error).message}`))
      .finally(() => (running = false));
  };
  setTimeout(tick, firstAfterMs).unref();
  setInterval(tick, minutes * 60_000).unref();
}

export function startSchedules(env: Pick<Env, "LEDGER_CHECKPOINT_MINUTES" | "ALERT_EVALUATION_MINUTES" | "SLICE_ROLLUP_MINUTES" | "WEEKEND_MODE_MINUTES" | "WEBHOOK_DELIVERY_MINUTES">, log: Log): void {
  // Edit-log checkpoints (docs/ledger.md), when the chain has moved.
  every("ledger checkpoint", env.LEDGER_CHECKPOINT_MINUTES, 15_000, async () => {
    const { checkpoint, created } = await createCheckpoint(OPERATOR, { onlyIfMoved: true });
    return created ? `ledger checkpoint signed at entry #${checkpoint.seq} (key ${checkpoint.keyId})` : null;
  }, log);
  // Weekend mode of minority events (spec §5); runs in several processes confirm each event once (lib/data/events/schedules.ts).
  every("weekend mode", env.WEEKEND_MODE_MINUTES, 5 * 60_000, async () => {
    const n = await runWeekendAutomation(OPERATOR);
    return n > 0 ? `weekend mode confirmed ${n} event${n === 1 ? "" : "s"}` : null;
  }, log);
  // Slice KPIs' incremental rollup (lib/data/slices.ts): reads drain too, this keeps them short.
  every("slice rollup", env.SLICE_ROLLUP_MINUTES, 10_000, async () => {
    await drainSliceRollup();
    return null;
  }, log);
  // The event pipeline's stage rollup (lib/data/events/governance.ts), drained the same way.
  every("event stage rollup", env.SLICE_ROLLUP_MINUTES, 15_000, async () => {
    await drainEventReportRollup();
    return null;
  }, log);
  // Policy work a stopped process left: the queue's re-gating, stalled what-ifs.
  every("policy jobs", 1, 30_000, async () => {
    const regated = await regateQueue();
    const whatIfs = await resumeStalledWhatIfs();
    return regated + whatIfs > 0 ? `re-gated ${regated} queued record(s), restarted ${whatIfs} what-if(s)` : null;
  }, log);
  // Governance alerts (lib/governance/alerts.ts).
  every("alert evaluation", env.ALERT_EVALUATION_MINUTES, 20_000, async () => {
    const raised = await evaluateAlerts(OPERATOR);
    return raised > 0 ? `${raised} governance alert${raised === 1 ? "" : "s"} raised` : null;
  }, log);
  // Outbound webhooks (lib/data/webhooks.ts): new deliveries and due retries; several processes each claim their own rows.
  every("webhooks", env.WEBHOOK_DELIVERY_MINUTES, 20_000, async () => {
    const { delivered, retrying, failed } = await deliverDueWebhooks();
    return delivered + retrying + failed > 0 ? `webhooks: ${delivered} delivered, ${retrying} to retry, ${failed} given up` : null;
  }, log);
}
