import { OPERATOR } from "@/lib/auth/actor";
import { firstRunSeedDone, markFirstRunSeedDone } from "@/lib/data/system";
import { createUser, listUserEmails } from "@/lib/data/users";
import { ingestDemoBatches } from "./demo-batches";
import { seedDemoDecisions } from "./demo-decisions";
import { seedDemoEvents } from "./demo-events";
import { ingestDemoLabels } from "./demo-labels";
import { seedDemoPolicies } from "./demo-policies";
import { evaluateAlerts } from "@/lib/data/alerts";
import { DEMO_USERS } from "./demo-users";
import { SEED_MODEL_CARDS } from "./demo/model-cards";
import { registerModelCard } from "@/lib/data/model-cards";

export type SeedOutcome = "seeded-demo" | "no-demo" | "already-done" | "has-users";

/**
 * The first-run seed: on a database with no users, the demo data once (unless demo is
 * off). Later capabilities add their demo data here. Runs through the data layer as the
 * operator, so the same checks apply as everywhere else.
 */
export async function runFirstRunSeed(options: { demo: boolean }): Promise<SeedOutcome> {
  if (await firstRunSeedDone()) return "already-done";
  // Users other than the demo's mean an existing deployment; demo users alone mean a
  // first run that was interrupted, which goes on where it stopped.
  const existing = new Set(await listUserEmails());
  const demoEmails = new Set(DEMO_USERS.map((u) => u.email));
  if ([...existing].some((e) => !demoEmails.has(e))) {
    await markFirstRunSeedDone({ demo: false, at: new Date().toISOString() });
    return "has-users";
  }
  if (!options.demo) {
    await markFirstRunSeedDone({ demo: false, at: new Date().toISOString() });
    return "no-demo";
  }
  for (const user of DEMO_USERS) if (!existing.has(user.email)) await createUser(OPERATOR, user);
  await ingestDemoBatches(OPERATOR);
  // Decisions after the records they decide; an interrupted run resumes (decided records have left the queue).
  await seedDemoDecisions();
  // Outcomes arrive after the decisions (label feedback, docs/labels.md).
  await ingestDemoLabels(OPERATOR);
  await seedDemoEvents();
  // A past policy change with its rollback, and a proposal waiting for a second governance user.
  await seedDemoPolicies();
  // The model cards of the source documents (GoSales, the Poisson count model); a resumed run finds them registered.
  for (const card of SEED_MODEL_CARDS) await registerModelCard(OPERATOR, card);
  // The governance alerts the demo data raises, there on the first page load.
  await evaluateAlerts(OPERATOR);
  await markFirstRunSeedDone({ demo: true, at: new Date().toISOString() });
  return "seeded-demo";
}
