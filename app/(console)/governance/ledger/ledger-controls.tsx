"use client";

import { CheckCircle2, PenLine, ShieldCheck, XCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { createCheckpointAction, verifyLedgerAction } from "@/lib/actions/ledger";
import type { ChainVerification } from "@/lib/ledger/chain";

/** Recomputes the whole chain on demand and shows the verdict (naming the first bad entry). */
export function VerifyLedger() {
  const verify = useAction(verifyLedgerAction);
  const [verdict, setVerdict] = useState<ChainVerification | null>(null);
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
            <XCircle aria-hidden className="size-4" /> Entry #{verdict.firstBad.seq} does not verify: {verdict.firstBad.reason}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** Signs a checkpoint of the current head now. */
export function SignCheckpoint() {
  const sign = useAction(createCheckpointAction);
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={sign.pending}
      onClick={() => sign.run(undefined, { onSuccess: (c) => toast.success(`Checkpoint signed at entry #${c.seq}`) })}
    >
      <PenLine aria-hidden className="size-3.5" /> Sign a checkpoint now
    </Button>
  );
}
