"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import { releaseBatchAction } from "@/lib/actions/decisions";
import { TEXT_MAX } from "@/lib/validations/decision-labels";

/**
 * A lead releases a held batch (gating spec §6.2): a reason, then one edit-log entry and a
 * new result version for each of the batch's open records, gated again without the hold.
 */
export function ReleaseBatch({ batchId, size, ledgerVersion }: { batchId: string; size: number; ledgerVersion: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const requestId = useRef("");
  const release = useAction(releaseBatchAction);
  const router = useRouter();
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        Release…
      </Button>
      {open ? (
        <Modal title={`Release held batch ${batchId}`} onClose={() => setOpen(false)}>
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              requestId.current ||= crypto.randomUUID();
              release.run(
                { batchId, ledgerVersion, reasonText: reason, requestId: requestId.current },
                {
                  onSuccess: (d) => {
                    toast.success(`Released ${batchId}: ${d.rerouted} records gated again — ${d.routes.audit} to audit, ${d.routes.auto} released automatically (entry #${d.entry.seq})`);
                    setOpen(false);
                    router.refresh();
                  },
                },
              );
            }}
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The {size} record{size === 1 ? "" : "s"} of this batch are gated again without the hold; records already decided keep their decision. The release is recorded in the edit log with your reason.
            </p>
            <Field id="release-reason" label="Reason" errors={release.fieldErrors.reasonText}>
              <textarea
                id="release-reason"
                rows={3}
                maxLength={TEXT_MAX}
                required
                autoFocus
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              />
            </Field>
            {release.error && !release.fieldErrors.reasonText ? (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {release.error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={release.pending || reason.trim() === ""}>
                Release batch
              </Button>
            </div>
          </form>
        </Modal>
      ) : null}
    </>
  );
}
