"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { countSignatureMatchesAction } from "@/lib/actions/policies";
import type { SignatureMatches } from "@/lib/data/policy-changes";

/** The signature editor's check: how many recent records each signature in the box matches, before anyone proposes it. */
export function SignatureMatchCount({ baseSnapshotId, textareaId }: { baseSnapshotId: string; textareaId: string }) {
  const count = useAction(countSignatureMatchesAction);
  const [result, setResult] = useState<SignatureMatches | null>(null);
  const errors = Object.entries(count.fieldErrors).map(([k, v]) => `${k} ${v.join("; ")}`);
  return (
    <div className="space-y-2" aria-live="polite">
      <Button
        variant="secondary"
        disabled={count.pending}
        onClick={() => {
          const text = (document.getElementById(textareaId) as HTMLTextAreaElement | null)?.value ?? "";
          count.run({ baseSnapshotId, canarySignatures: text, days: 7 }, { onSuccess: setResult, onError: () => setResult(null) });
        }}
      >
        {count.pending ? "Counting…" : "Count matches in the last 7 days"}
      </Button>
      {errors.length > 0 ? (
        <ul role="alert" className="list-disc pl-5 text-xs text-red-700 dark:text-red-400">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {result ? (
        <table aria-label="Signature matches" className="text-xs">
          <caption className="pb-1 text-left text-zinc-500">
            Among the {result.capped ? "newest " : ""}
            {result.records.toLocaleString("en")} records gated in the last {result.days} days:
          </caption>
          <tbody>
            {result.signatures.map((s) => (
              <tr key={s.name} data-testid={`matches-${s.name}`}>
                <td className="pr-4 font-mono">{s.name}</td>
                <td className="tabular pr-2 text-right">{s.matches.toLocaleString("en")}</td>
                <td className="tabular text-right text-zinc-500">{result.records ? `${((100 * s.matches) / result.records).toFixed(2)} %` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
