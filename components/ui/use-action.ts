"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/result";
import type { FieldErrors } from "@/lib/errors";

/**
 * Calls a server action, keeps its field errors for the form, and announces the outcome
 * with a toast (sonner's toasts are live regions).
 */
export function useAction<I, O>(action: (input: I) => Promise<ActionResult<O>>) {
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);

  function run(input: I, messages: { success?: string; onSuccess?: (data: O) => void } = {}) {
    startTransition(async () => {
      const result = await action(input);
      if (result.ok) {
        setFieldErrors({});
        setError(null);
        if (messages.success) toast.success(messages.success);
        messages.onSuccess?.(result.data);
      } else {
        setFieldErrors(result.fieldErrors ?? {});
        setError(result.error);
        toast.error(result.error);
      }
    });
  }

  return { run, pending, fieldErrors, error, reset: () => (setFieldErrors({}), setError(null)) };
}
