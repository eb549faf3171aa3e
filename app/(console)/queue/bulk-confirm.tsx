"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { bulkConfirmAction } from "@/lib/actions/decisions";
import type { QueueItem } from "@/lib/data/queue";
import { TEXT_MAX } from "@/lib/validations/decision-labels";

/** What bulk confirm sends for a row: the versions and the machine label the lead saw. */
export type BulkItem = Pick<QueueItem, "recordId" | "version" | "ledgerVersion" | "decision">;

/** A lead confirms the selected rows' machine labels at once, saying why (the reason is required). */
export function BulkConfirm({ items, onDone }: { items: BulkItem[]; onDone: () => void }) {
  const bulk = useAction(bulkConfirmAction);
  const request = useRef("");
  const router = useRouter();
  const n = items.length;
  return (
    <>
      <FormDialog
        trigger={`Confirm ${n} machine label${n === 1 ? "" : "s"}`}
        triggerProps={{ size: "sm" }}
        title={`Confirm ${n} machine label${n === 1 ? "" : "s"}`}
        submitLabel={`Confirm ${n}`}
        pending={bulk.pending}
        fieldErrors={bulk.fieldErrors}
        onClose={bulk.reset}
        onSubmit={(form, close) => {
          request.current ||= crypto.randomUUID();
          bulk.run(
            {
              items: items.map((i) => ({ recordId: i.recordId, resultVersion: i.version, ledgerVersion: i.ledgerVersion, machineLabel: i.decision })),
              reasonText: String(form.get("reasonText") ?? ""),
              requestId: request.current,
            },
            {
              onSuccess: (d) => {
                toast.success(`Confirmed ${d.confirmed} record${d.confirmed === 1 ? "" : "s"}${d.replayed ? " (already recorded)" : ""}`);
                request.current = "";
                close();
                onDone();
                router.refresh();
              },
            },
          );
        }}
      >
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Each record gets its own edit-log entry with this reason; all are confirmed or none.</p>
        <Field id="bulk-reason" label="Reason" errors={bulk.fieldErrors.reasonText} hint="Required: why these records are confirmed together.">
          <textarea
            id="bulk-reason"
            name="reasonText"
            rows={3}
            maxLength={TEXT_MAX}
            autoFocus
            aria-invalid={!!bulk.fieldErrors.reasonText}
            className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </Field>
        {bulk.error && !bulk.fieldErrors.reasonText ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{bulk.error}</p> : null}
      </FormDialog>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear
      </Button>
    </>
  );
}
