"use client";

import { UserPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { Modal } from "@/components/ui/modal";
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

/**
 * A role change is confirmed first: the dialog names the person and old role → new role,
 * since the change takes effect on their next request and is recorded in the edit log.
 */
export function RoleSelect({ user, disabled, self }: { user: { id: string; name: string; email: string; role: Role }; disabled: boolean; self: boolean }) {
  const { run, pending } = useAction(changeRoleAction);
  const [proposed, setProposed] = useState<Role | null>(null);
  return (
    <>
      <Select
        aria-label={`Role of ${user.email}`}
        className="h-7 w-36 py-0 text-xs"
        value={proposed ?? user.role}
        disabled={disabled || pending}
        title={self ? "You cannot change your own role" : disabled ? "Reactivate the user to change the role" : undefined}
        onChange={(e) => setProposed(e.target.value as Role)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      {proposed && proposed !== user.role ? (
        <Modal title="Change role?" onClose={() => setProposed(null)}>
          <p className="text-sm whitespace-normal">
            <strong>{user.name}</strong> <span className="font-mono text-xs">{user.email}</span>
          </p>
          <p className="text-sm" data-testid="role-change">
            <span className="font-medium">{user.role}</span> → <span className="font-medium">{proposed}</span>
          </p>
          <p className="text-xs whitespace-normal text-zinc-600 dark:text-zinc-400">
            {ROLE_DESCRIPTIONS[proposed]} Takes effect on their next request; recorded in the edit log.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setProposed(null)}>
              Cancel
            </Button>
            <Button
              autoFocus
              disabled={pending}
              onClick={() =>
                run(
                  { userId: user.id, role: proposed },
                  { success: `${user.name} is now ${proposed}`, onSuccess: () => setProposed(null) },
                )
              }
            >
              {pending ? "Changing…" : `Make ${proposed}`}
            </Button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
