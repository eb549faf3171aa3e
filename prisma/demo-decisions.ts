/**
 * A handful of real decisions by the demo analysts, so the record timelines, the ledger and
 * its export are never empty on a first start. They go through the same data layer and the
 * same SQL append as the console. The records are the first of the default queue view
 * (the walkthrough's held batches demo-001 and demo-002 excluded), and each is decided
 * against the passenger's recorded outcome in the shipped file: confirmed where the
 * machine's label matches it, overridden (model_wrong_evidence) where it does not.
 */
import type { Actor } from "@/lib/auth/actor";
import { annotateRecord, claimRecord, decideRecord } from "@/lib/data/decisions";
import { ledgerHead } from "@/lib/data/ledger";
import { listQueue, queueQuery } from "@/lib/data/queue";
import { findUserByEmail } from "@/lib/data/users";
import { OPERATOR } from "@/lib/auth/actor";
import { referenceRows } from "@/lib/reference-data";
import { labelName } from "@/lib/validations/decisions";

const DECISIONS = 8;
const WALKTHROUGH_BATCHES = new Set(["demo-001", "demo-002"]);

/** A demo user as the actor of the demo's own decisions. */
export async function person(email: string): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await findUserByEmail(OPERATOR, email);
  if (!user || user.kind !== "human" || !user.role) throw new Error(`demo user ${email} is missing`);
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function seedDemoDecisions(): Promise<{ decided: number; overridden: number }> {
  // Once: a resumed first run finds its decisions already in the log.
  if ((await ledgerHead()).count > 0) return { decided: 0, overridden: 0 };
  const [ada, ben] = await Promise.all([person("analyst@demo.local"), person("analyst2@demo.local")]);
  const outcome = new Map(referenceRows().map((r) => [r.recordId, r.label]));
  const page = await listQueue(ada, queueQuery({ limit: "40" }));
  const chosen = page.items.filter((i) => !WALKTHROUGH_BATCHES.has(i.batchId) && outcome.get(i.recordId) != null).slice(0, DECISIONS + 1);
  let overridden = 0;
  for (const [n, item] of chosen.slice(0, DECISIONS).entries()) {
    const analyst = n % 3 === 2 ? ben : ada;
    const truth = outcome.get(item.recordId)!;
    const seen = { recordId: item.recordId, resultVersion: item.version, ledgerVersion: item.ledgerVersion, machineLabel: item.decision, requestId: crypto.randomUUID() };
    if (n === 1) {
      const claim = await claimRecord(analyst, { recordId: item.recordId });
      await annotateRecord(analyst, { recordId: item.recordId, text: "Spend mix is unusual for the cluster; checked the passenger's recorded outcome before deciding.", requestId: crypto.randomUUID() });
      seen.ledgerVersion = claim.ledgerVersion; // the note does not move the decision version
    }
    if (truth === item.decision) {
      await decideRecord(analyst, { ...seen, action: "confirm" });
    } else {
      overridden += 1;
      await decideRecord(analyst, {
        ...seen,
        action: "override",
        reasonCode: "model_wrong_evidence",
        reasonText: `The recorded outcome for this passenger is ${labelName(truth)}; the model's p50 ${item.p50.toFixed(3)} was on the wrong side of the threshold.`,
      });
    }
  }
  // One record left claimed and open, so the queue shows a live claim.
  const open = chosen[DECISIONS];
  if (open) await claimRecord(ben, { recordId: open.recordId });
  return { decided: Math.min(chosen.length, DECISIONS), overridden };
}
