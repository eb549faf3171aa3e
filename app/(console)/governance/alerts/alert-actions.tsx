"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { acknowledgeAlertAction, evaluateAlertsAction } from "@/lib/actions/alerts";

/** A governance user acknowledges an alert with a note (one edit-log entry). */
export function AcknowledgeAlert({ alertId, title }: { alertId: string; title: string }) {
  const requestId = useRef("");
  const acknowledge = useAction(acknowledgeAlertAction);
  const router = useRouter();
  return (
    <FormDialog
      trigger="Acknowledge…"
      triggerProps={{ size: "sm", variant: "secondary" }}
      title={`Acknowledge: ${title}`}
      submitLabel="Acknowledge"
      pending={acknowledge.pending}
      fieldErrors={acknowledge.fieldErrors}
      onSubmit={(form, close) => {
        requestId.current ||= crypto.randomUUID();
        acknowledge.run(
          { alertId, note: String(form.get("note") ?? ""), requestId: requestId.current },
          {
            onSuccess: (d) => {
              toast.success(`Alert acknowledged (edit-log entry #${d.seq})`);
              close();
              router.refresh();
            },
          },
        );
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Say what you checked or did. The acknowledgement and your note go into the edit log; the alert leaves the open list.</p>
      <Field id={`ack-note-${alertId}`} label="Note" errors={acknowledge.fieldErrors.note}>
        <textarea
          id={`ack-note-${alertId}`}
          name="note"
          rows={3}
          maxLength={2000}
          required
          autoFocus
          aria-invalid={acknowledge.fieldErrors.note ? true : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
      </Field>
    </FormDialog>
  );
}

/** Runs the alert rules now (they also run on a schedule). */
export function EvaluateAlerts() {
  const evaluate = useAction(evaluateAlertsAction);
  const router = useRouter();
  return (
    <Button
      variant="secondary"
      disabled={evaluate.pending}
      onClick={() =>
        evaluate.run(undefined, {
          onSuccess: (d) => {
            toast.success(d.raised === 0 ? "Evaluated: nothing new" : `Evaluated: ${d.raised} new alert${d.raised === 1 ? "" : "s"}`);
            router.refresh();
          },
        })
      }
    >
      {evaluate.pending ? "Evaluating…" : "Evaluate now"}
    </Button>
  );
}
