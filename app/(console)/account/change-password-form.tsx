"use client";

import { signOut } from "next-auth/react";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { changePasswordAction } from "@/lib/actions/admin";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const { run, pending, fieldErrors } = useAction(changePasswordAction);
  return (
    <form
      ref={formRef}
      noValidate
      className="mt-3 space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        run(
          { currentPassword: String(f.get("currentPassword")), newPassword: String(f.get("newPassword")) },
          {
            success: "Password changed",
            // The change ended every session of this person, this one included.
            onSuccess: () => {
              formRef.current?.reset();
              void signOut({ callbackUrl: "/login?error=PasswordChanged" });
            },
          },
        );
      }}
    >
      <Field id="currentPassword" label="Current password" errors={fieldErrors.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" aria-invalid={!!fieldErrors.currentPassword} />
      </Field>
      <Field id="newPassword" label="New password" hint="At least 12 characters." errors={fieldErrors.newPassword}>
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" aria-invalid={!!fieldErrors.newPassword} />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Change password"}
      </Button>
    </form>
  );
}
