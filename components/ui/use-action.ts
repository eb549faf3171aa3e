"use client";

import { isRedirectError } from "next/dist/client/components/redirect-error";
import { useRef, useState } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/result";
import type { FieldErrors } from "@/lib/errors";

/** Said when the call itself failed (network down, server gone): nothing came back to show. */
const ACTION_FAILED_MESSAGE = "The request did not complete. Check your connection and try again.";

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

export interface RunOptions<O> {
  /** Toast shown on success. */
  success?: string;
  onSuccess?: (data: O) => void;
  /**
   * A version conflict (someone acted first): called instead of the error toast, so the
   * caller can say what changed and offer a reload.
   */
  onConflict?: (message: string) => void;
  /** Any other refusal, after its field errors are kept and its toast is shown. */
  onError?: (failure: ActionFailure) => void;
}

/**
 * The one way client components call a server action: keeps the field errors for the
 * form, announces the outcome with a toast (sonner's toasts are live regions), ignores a
 * second call while one is in flight, and never leaves `pending` stuck — a call that
 * rejects (network, server down) ends with a generic error toast. A redirect (session
 * expired) is rethrown while rendering so Next's redirect boundary follows it.
 */
export function useAction<I, O>(action: (input: I) => Promise<ActionResult<O>>) {
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [redirect, setRedirect] = useState<unknown>(null);
  const inFlight = useRef(false);
  if (redirect) throw redirect;

  async function call(input: I, options: RunOptions<O>): Promise<void> {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    try {
      const result = await action(input);
      if (result.ok) {
        setFieldErrors({});
        setError(null);
        if (options.success) toast.success(options.success);
        options.onSuccess?.(result.data);
      } else if (result.code === "conflict" && options.onConflict) {
        setError(result.error);
        options.onConflict(result.error);
      } else {
        setFieldErrors(result.fieldErrors ?? {});
        setError(result.error);
        toast.error(result.error);
        options.onError?.(result);
      }
    } catch (thrown) {
      if (isRedirectError(thrown)) setRedirect(thrown);
      else {
        setError(ACTION_FAILED_MESSAGE);
        toast.error(ACTION_FAILED_MESSAGE);
      }
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  function run(input: I, options: RunOptions<O> = {}): void {
    void call(input, options);
  }

  return { run, pending, fieldErrors, error, reset: () => (setFieldErrors({}), setError(null)) };
}

/**
 * A console route (lib/api/console.ts) called as a server action is: the same input and
 * result shape, without the page runtime. A request that does not complete, or an answer
 * that is not the result shape, is a failure to show, not an exception.
 */
export function consoleRoute<I, O>(path: string): (input: I) => Promise<ActionResult<O>> {
  return async (input) => {
    try {
      const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(input) });
      const body = (await res.json()) as ActionResult<O> | null;
      if (typeof body?.ok === "boolean") return body;
    } catch {
      // answered below
    }
    return { ok: false, error: ACTION_FAILED_MESSAGE, code: "network" };
  };
}
