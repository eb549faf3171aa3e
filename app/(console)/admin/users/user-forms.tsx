"use client";

import { UserPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import { changeRoleAction, createUserAction } from "@/lib/actions/admin";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/permissions";

export function CreateUserForm() {
  const [open, setOpen] = useState(false);
  const { run, pending, fieldErrors, reset } = useAction(createUserAction);
  if (!open) {
    return (
      <Button onClick={() => setOpen(true)}>
        <UserPlus aria-hidden className="size-4" /> New user
      </Button>
    );
  }
  const errorsFor = (k: string) => fieldErrors[k];
  const close = () => (setOpen(false), reset());
  return (
    <Modal title="New user" onClose={close}>
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          run(
            { email: String(f.get("email")), name: String(f.get("name")), role: String(f.get("role")) as Role, password: String(f.get("password")) },
            { success: "User created", onSuccess: close },
          );
        }}
      >
        <Field id="nu-name" label="Name" errors={errorsFor("name")}>
          <Input id="nu-name" name="name" autoFocus aria-invalid={!!errorsFor("name")} />
        </Field>
        <Field id="nu-email" label="Email" errors={errorsFor("email")}>
          <Input id="nu-email" name="email" type="email" aria-invalid={!!errorsFor("email")} />
        </Field>
        <Field id="nu-role" label="Role" errors={errorsFor("role")} hint="What the person may see and do.">
          <Select id="nu-role" name="role" defaultValue="analyst">
            {ROLES.map((r) => (
              <option key={r} value={r} title={ROLE_DESCRIPTIONS[r]}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="nu-password" label="Initial password" errors={errorsFor("password")} hint="At least 12 characters. Share it privately; the person can change it under Account.">
          <Input id="nu-password" name="password" type="password" autoComplete="new-password" aria-invalid={!!errorsFor("password")} />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function RoleSelect({ userId, role, disabled, self }: { userId: string; role: Role; disabled: boolean; self: boolean }) {
  const { run, pending } = useAction(changeRoleAction);
  return (
    <Select
      aria-label="Role"
      className="h-7 w-36 py-0 text-xs"
      defaultValue={role}
      disabled={disabled || pending}
      title={self ? "You cannot change your own role" : disabled ? "Reactivate the user to change the role" : undefined}
      onChange={(e) => run({ userId, role: e.target.value as Role }, { success: `Role changed to ${e.target.value}` })}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </Select>
  );
}
