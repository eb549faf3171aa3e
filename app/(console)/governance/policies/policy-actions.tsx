"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { toast } from "sonner";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { DecisionForm } from "@/components/ui/decision-form";
import { decidePolicyAction, proposeRollbackAction } from "@/lib/actions/policies";

const TEXTAREA = "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** A second governance user approves (activating the snapshot) or rejects a waiting proposal, with a reason. */
export function DecideProposal({ proposalId }: { proposalId: string }) {
  return (
    <DecisionForm
      action={decidePolicyAction}
      subject={{ proposalId }}
      approvedMessage={(p) => `Approved: ${p.snapshotId} is the active policy`}
      approveLabel="Approve and activate"
      reasonLabel="Reason"
      fieldId="decision-reason"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      intro={
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Approving makes this snapshot the active policy at once: new batches are gated with it. Say what you checked; your reason goes into the edit log with the decision.
        </p>
      }
    />
  );
}

/** One click to propose making an earlier snapshot active again (approved like any change). */
export function ProposeRollback({ baseSnapshotId, targetSnapshotId }: { baseSnapshotId: string; targetSnapshotId: string }) {
  const requestId = useRef("");
  const propose = useAction(proposeRollbackAction);
  const router = useRouter();
  return (
    <FormDialog
      trigger="Propose rollback to this snapshot…"
      triggerProps={{ variant: "secondary" }}
      title={`Propose rollback to ${targetSnapshotId}`}
      submitLabel="Propose rollback"
      pending={propose.pending}
      fieldErrors={propose.fieldErrors}
      onSubmit={(form, close) => {
        requestId.current ||= crypto.randomUUID();
        propose.run(
          { baseSnapshotId, targetSnapshotId, reason: String(form.get("reason") ?? ""), requestId: requestId.current },
          {
            onSuccess: () => {
              toast.success("Rollback proposed: a second governance user must approve it");
              close();
              router.refresh();
            },
            onError: () => {
              requestId.current = "";
            },
          },
        );
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">The active policy stays until a second governance user approves. Say why the earlier snapshot should route again.</p>
      <Field id="rollback-reason" label="Reason" errors={propose.fieldErrors.reason}>
        <textarea id="rollback-reason" name="reason" rows={3} maxLength={2000} required autoFocus className={TEXTAREA} />
      </Field>
    </FormDialog>
  );
}
