"use client";

import { UserPlus } from "lucide-react";
import { Field, Input, Select } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { changeRoleAction, createUserAction } from "@/lib/actions/admin";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/permissions";

export function CreateUserForm() {
  const { run, pending, fieldErrors, reset } = useAction(createUserAction);
  return (
    <FormDialog
      trigger={
        <>
          <UserPlus aria-hidden className="size-4" /> New user
        </>
      }
      title="New user"
      submitLabel="Create user"
      pending={pending}
      fieldErrors={fieldErrors}
      onClose={reset}
      onSubmit={(f, close) =>
        run(
          { email: String(f.get("email")), name: String(f.get("name")), role: String(f.get("role")) as Role, password: String(f.get("password")) },
          { success: "User created", onSuccess: close },
        )
      }
    >
      <Field id="nu-name" label="Name" errors={fieldErrors.name}>
        <Input id="nu-name" name="name" autoFocus aria-invalid={!!fieldErrors.name} />
      </Field>
      <Field id="nu-email" label="Email" errors={fieldErrors.email}>
        <Input id="nu-email" name="email" type="email" aria-invalid={!!fieldErrors.email} />
      </Field>
      <Field id="nu-role" label="Role" errors={fieldErrors.role} hint="What the person may see and do.">
        <Select id="nu-role" name="role" defaultValue="analyst" aria-invalid={!!fieldErrors.role}>
          {ROLES.map((r) => (
            <option key={r} value={r} title={ROLE_DESCRIPTIONS[r]}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="nu-password" label="Initial password" errors={fieldErrors.password} hint="At least 12 characters. Share it privately; the person can change it under Account.">
        <Input id="nu-password" name="password" type="password" autoComplete="new-password" aria-invalid={!!fieldErrors.password} />
      </Field>
    </FormDialog>
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
