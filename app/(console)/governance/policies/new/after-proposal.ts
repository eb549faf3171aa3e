"use client";

import type { useRouter } from "next/navigation";
import type { RefObject } from "react";
import { toast } from "sonner";
import type { RunOptions } from "@/components/ui/use-action";

/**
 * What both proposal forms do with the answer: on success open the proposed snapshot; on a
 * refusal forget the request id, so the corrected proposal is a new request.
 */
export function afterProposal(requestId: RefObject<string>, router: ReturnType<typeof useRouter>): RunOptions<{ snapshotId: string }> {
  return {
    onSuccess: (p) => {
      toast.success("Proposed: a second governance user must approve it");
      router.push(`/governance/policies/${p.snapshotId}`);
    },
    onError: () => {
      requestId.current = "";
    },
    onConflict: (message) => {
      requestId.current = "";
      toast.error(message);
    },
  };
}
