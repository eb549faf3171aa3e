"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Field } from "./field";
import { useDecision } from "./use-decision";

const TEXTAREA = "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * The second person's form on a waiting proposal (a policy change, a model promotion): a
 * required reason, Approve (Enter) and Reject; `intro` says what approving does.
 */
export function DecisionForm<O extends { status: string }>({
  action,
  subject,
  approvedMessage,
  approveLabel,
  reasonLabel,
  fieldId,
  intro,
  className,
}: {
  action: Parameters<typeof useDecision<O>>[0];
  subject: Record<string, string>;
  approvedMessage: (result: O) => string;
  approveLabel: string;
  reasonLabel: string;
  fieldId: string;
  intro?: ReactNode;
  className?: string;
}) {
  const { reason, setReason, decide, run } = useDecision(action, subject, approvedMessage);
  return (
    <form
      aria-label="Decide this proposal"
      className={className ?? "space-y-3"}
      onSubmit={(e) => {
        e.preventDefault();
        run("approve");
      }}
    >
      {intro}
      <Field id={fieldId} label={reasonLabel} errors={decide.fieldErrors.reason}>
        <textarea id={fieldId} name="reason" rows={3} maxLength={2000} required value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={decide.fieldErrors.reason ? true : undefined} className={TEXTAREA} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={decide.pending}>
          {decide.pending ? "Saving…" : approveLabel}
        </Button>
        <Button variant="danger" disabled={decide.pending} onClick={() => run("reject")}>
          Reject
        </Button>
      </div>
    </form>
  );
}

