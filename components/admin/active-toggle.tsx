"use client";

import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { setServiceAccountActiveAction, setUserActiveAction } from "@/lib/actions/admin";

const KINDS = {
  user: { action: setUserActiveAction, consequence: "They are signed out on their next request." },
  service: { action: setServiceAccountActiveAction, consequence: "Its tokens stop working at once." },
} as const;

/** Deactivate (after a confirmation that says what happens) or reactivate an account. */
export function ActiveToggle({ kind, userId, active, email }: { kind: keyof typeof KINDS; userId: string; active: boolean; email: string }) {
  const { run, pending } = useAction(KINDS[kind].action);
  return (
    <Button
      size="sm"
      variant={active ? "danger" : "secondary"}
      disabled={pending}
      onClick={() => {
        if (active && !window.confirm(`Deactivate ${email}? ${KINDS[kind].consequence}`)) return;
        run({ userId, active: !active }, { success: active ? `${email} deactivated` : `${email} reactivated` });
      }}
    >
      {active ? "Deactivate" : "Reactivate"}
    </Button>
  );
}
