import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { activePolicy } from "@/lib/data/policies";
import { EDITABLE_GROUPS, valueAt } from "@/lib/governance/policy-change";
import { PolicyProposalForm } from "./proposal-form";
import { PolicyUploadForm } from "./upload-form";

export const metadata: Metadata = { title: "Propose a policy change" };

export default async function NewPolicyProposalPage() {
  await requirePageUser("policies:propose");
  const { snapshot } = await activePolicy();
  const current = Object.fromEntries(EDITABLE_GROUPS.flatMap((g) => g.fields.map((f) => [f.path, valueAt(snapshot, f.path) as number])));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Propose a policy change"
        description={`Starting from the active policy ${snapshot.id}. Change what you mean to change; the new snapshot is validated whole and waits for a second governance user's approval before it gates anything.`}
      />
      <PolicyProposalForm
        baseSnapshotId={snapshot.id}
        groups={EDITABLE_GROUPS}
        current={current}
        canaryIds={snapshot.canaries.ids.join("\n")}
        canarySignatures={JSON.stringify(snapshot.canaries.signatures, null, 2)}
      />
      <section aria-label="Or propose a calibration output" className="space-y-3 border-t border-zinc-200 pt-6 dark:border-zinc-800">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Or propose a calibration output</h2>
        <PolicyUploadForm baseSnapshotId={snapshot.id} />
      </section>
    </div>
  );
}
