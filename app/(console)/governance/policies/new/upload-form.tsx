"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldErrorSummary } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { afterProposal } from "./after-proposal";
import { proposeUploadedPolicyAction } from "@/lib/actions/policies";

/** Server actions take bodies up to 1 MB; a calibration output is a few hundred KB. */
const MAX_FILE_BYTES = 900_000;

/** Proposes a calibration output file as it is; the server validates it whole and names any field it refuses. */
export function PolicyUploadForm({ baseSnapshotId }: { baseSnapshotId: string }) {
  const requestId = useRef("");
  const propose = useAction(proposeUploadedPolicyAction);
  const router = useRouter();
  const [fileError, setFileError] = useState<string | null>(null);
  const errors = Object.entries(propose.fieldErrors).filter(([k]) => k !== "reason");

  return (
    <form
      aria-label="Propose a calibration output"
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const file = form.get("snapshotFile");
        if (!(file instanceof File) || file.size === 0) return setFileError("Choose the calibration output file.");
        if (file.size > MAX_FILE_BYTES) return setFileError(`The file is ${Math.round(file.size / 1000)} KB; at most ${MAX_FILE_BYTES / 1000} KB can be sent.`);
        setFileError(null);
        requestId.current ||= crypto.randomUUID();
        propose.run(
          { baseSnapshotId, snapshot: await file.text(), reason: String(form.get("reason") ?? ""), requestId: requestId.current },
          afterProposal(requestId, router),
        );
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The snapshot file <code className="font-mono text-xs">npm run calibrate --out</code> writes, proposed as it is: new reference statistics, θ, CS_ACCEPT, GLM and audit-priority model included. It is named by its content.
      </p>
      <Field id="snapshot-file" label="Calibration output (JSON)" errors={fileError ? [fileError] : undefined}>
        <input id="snapshot-file" name="snapshotFile" type="file" accept="application/json,.json" required className="block text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-zinc-900 hover:file:bg-zinc-50 dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100" />
      </Field>
      <Field id="upload-reason" label="Reason" hint="Why this calibration, and what changed in the data it was fitted on." errors={propose.fieldErrors.reason}>
        <textarea id="upload-reason" name="reason" rows={2} maxLength={2000} required className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
      </Field>
      <FieldErrorSummary title="The file was refused:" errors={errors.slice(0, 20)} />
      <Button type="submit" variant="secondary" disabled={propose.pending}>
        {propose.pending ? "Proposing…" : "Propose this calibration"}
      </Button>
    </form>
  );
}
