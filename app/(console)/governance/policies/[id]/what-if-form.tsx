"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { requestWhatIfAction } from "@/lib/actions/policies";
import { WHAT_IF_MAX_BATCHES, WHAT_IF_MAX_DAYS } from "@/lib/validations/policies";

const INPUT = "block rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** Asks for a what-if of a waiting proposal over the last N days or chosen batches. */
export function WhatIfRequest({ proposalId, again }: { proposalId: string; again: boolean }) {
  const [window, setWindow] = useState<"days" | "batches">("days");
  const request = useAction(requestWhatIfAction);
  const router = useRouter();
  return (
    <form
      aria-label="Run a what-if"
      className="flex flex-wrap items-end gap-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        request.run(
          { proposalId, window, ...(window === "days" ? { days: String(form.get("days") ?? "") } : { batchIds: String(form.get("batchIds") ?? "") }) },
          {
            onSuccess: (w) => {
              if (w.status === "done") toast.success("What-if ready");
              router.refresh();
            },
          },
        );
      }}
    >
      <fieldset className="space-y-1">
        <legend className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Records</legend>
        <div className="flex gap-3 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" name="window" value="days" checked={window === "days"} onChange={() => setWindow("days")} /> the last days
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" name="window" value="batches" checked={window === "batches"} onChange={() => setWindow("batches")} /> chosen batches
          </label>
        </div>
      </fieldset>
      {window === "days" ? (
        <Field id="whatif-days" label={`Days (1–${WHAT_IF_MAX_DAYS})`} errors={request.fieldErrors.days}>
          <input id="whatif-days" name="days" type="number" min={1} max={WHAT_IF_MAX_DAYS} step={1} defaultValue={7} required className={`${INPUT} w-24`} aria-invalid={request.fieldErrors.days ? true : undefined} />
        </Field>
      ) : (
        <Field id="whatif-batches" label={`Batch ids (one per line, up to ${WHAT_IF_MAX_BATCHES})`} errors={request.fieldErrors.batchIds}>
          <textarea id="whatif-batches" name="batchIds" rows={3} required className={`${INPUT} w-96 font-mono text-xs`} aria-invalid={request.fieldErrors.batchIds ? true : undefined} />
        </Field>
      )}
      <Button type="submit" disabled={request.pending}>
        {request.pending ? "Re-gating…" : again ? "Run the what-if again" : "Run the what-if"}
      </Button>
    </form>
  );
}

/** While a background run works, the page reloads its figures every second. */
export function RefreshWhileRunning({ seconds = 1 }: { seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return null;
}
