"use client";

import { CheckCircle2, PenLine, ShieldCheck, XCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { createCheckpointAction, verifyLedgerAction } from "@/lib/actions/ledger";
import type { LedgerVerification } from "@/lib/ledger/witness";

/** Recomputes the whole chain and the signed roots on demand and shows the verdict (naming the first bad entry) and the witness's. */
export function VerifyLedger() {
  const verify = useAction(verifyLedgerAction);
  const [verdict, setVerdict] = useState<LedgerVerification | null>(null);
  return (
    <div className="space-y-2">
      <Button onClick={() => verify.run(undefined, { onSuccess: setVerdict })} disabled={verify.pending}>
        <ShieldCheck aria-hidden className="size-4" /> {verify.pending ? "Verifying…" : "Verify the chain"}
      </Button>
      <div aria-live="polite">
        {verdict?.ok ? (
          <p className="flex items-center gap-1.5 text-sm text-emerald-800 dark:text-emerald-300">
            <CheckCircle2 aria-hidden className="size-4" /> Verified: {verdict.count.toLocaleString("en-US")} entries, head {verdict.headHash.slice(0, 16)}…
          </p>
        ) : verdict && !verdict.ok ? (
          <p role="alert" className="flex items-center gap-1.5 text-sm text-red-700 dark:text-red-400">
            <XCircle aria-hidden className="size-4" />{" "}
            {verdict.firstBad.reason.startsWith("the witness disagrees") ? `Tree head ${verdict.firstBad.seq}: ${verdict.firstBad.reason}` : `Entry #${verdict.firstBad.seq} does not verify: ${verdict.firstBad.reason}`}
          </p>
        ) : null}
        {verdict ? (
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Witness: {verdict.witness.state === "none" ? "no witness yet" : verdict.witness.state === "agrees" ? `agrees — ${verdict.witness.witnessed.toLocaleString("en-US")} heads, roots recomputed from the entries` : `disagrees, ${verdict.witness.problems.length} difference${verdict.witness.problems.length === 1 ? "" : "s"}`}
          </p>
        ) : null}
        {verdict?.witness.problems.length ? (
          <ul aria-label="Witness differences found by verify" className="mt-1 list-disc space-y-0.5 pl-4 text-xs text-red-700 dark:text-red-400">
            {verdict.witness.problems.slice(0, 3).map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
            {verdict.witness.problems.length > 3 ? <li>…and {verdict.witness.problems.length - 3} more (npm run ledger:verify prints them all)</li> : null}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

/** Signs a tree head of the log now (size, Merkle root, chain head). */
export function SignCheckpoint() {
  const sign = useAction(createCheckpointAction);
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={sign.pending}
      onClick={() => sign.run(undefined, { onSuccess: (c) => toast.success(`Tree head signed: ${Number(c.seq).toLocaleString("en-US")} entries`) })}
    >
      <PenLine aria-hidden className="size-3.5" /> Sign a tree head now
    </Button>
  );
}
