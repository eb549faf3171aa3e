"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/result";
import { useAction } from "./use-action";

/**
 * The second person's decision on a waiting proposal (a policy change, a model promotion):
 * a reason, approve or reject, one request id per intended decision (a double click
 * decides once; a refused one may be retried as a new request), the page refreshed after.
 * `subject` is the input's id field (`{ proposalId }`, `{ promotionId }`).
 */
export function useDecision<O extends { status: string }>(
  action: (input: { decision: "approve" | "reject"; reason: string; requestId: string } & Record<string, string>) => Promise<ActionResult<O>>,
  subject: Record<string, string>,
  approvedMessage: (result: O) => string,
) {
  const requestId = useRef("");
  const [reason, setReason] = useState("");
  const decide = useAction(action);
  const router = useRouter();
  const run = (decision: "approve" | "reject") => {
    requestId.current ||= crypto.randomUUID();
    decide.run(
      { ...subject, decision, reason, requestId: requestId.current },
      {
        onSuccess: (result) => {
          toast.success(result.status === "approved" ? approvedMessage(result) : "Proposal rejected");
          router.refresh();
        },
        onError: () => {
          requestId.current = "";
        },
        onConflict: (message) => {
          requestId.current = "";
          toast.error(message);
          router.refresh();
        },
      },
    );
  };
  return { reason, setReason, decide, run };
}
