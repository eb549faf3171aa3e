"use client";

import { Plus } from "lucide-react";
import { Field, Input } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { ScopeCheckboxes } from "@/components/ui/scope-checkboxes";
import { useAction } from "@/components/ui/use-action";
import { createServiceAccountAction, setAllowedScopesAction } from "@/lib/actions/admin";
import type { ApiScope } from "@/lib/auth/permissions";

const scopesOf = (f: FormData) => f.getAll("scopes").map(String) as ApiScope[];

export function CreateServiceAccountForm() {
  const { run, pending, fieldErrors, reset } = useAction(createServiceAccountAction);
  return (
    <FormDialog
      trigger={
        <>
          <Plus aria-hidden className="size-4" /> New service account
        </>
      }
      title="New service account"
      submitLabel="Create account"
      pending={pending}
      fieldErrors={fieldErrors}
      onClose={reset}
      onSubmit={(f, close) =>
        run({ name: String(f.get("name")), email: String(f.get("email")), allowedScopes: scopesOf(f) }, { success: "Service account created", onSuccess: close })
      }
    >
      <Field id="sa-name" label="Name" errors={fieldErrors.name} hint="The system it stands for, e.g. “Scoring pipeline”.">
        <Input id="sa-name" name="name" autoFocus aria-invalid={!!fieldErrors.name} />
      </Field>
      <Field id="sa-email" label="Account id (email form)" errors={fieldErrors.email} hint="e.g. scoring@service.local">
        <Input id="sa-email" name="email" aria-invalid={!!fieldErrors.email} />
      </Field>
      <ScopeCheckboxes name="scopes" legend="Allowed scopes" errors={fieldErrors.allowedScopes} />
    </FormDialog>
  );
}

export function EditScopes({ userId, email, allowedScopes }: { userId: string; email: string; allowedScopes: ApiScope[] }) {
  const { run, pending, fieldErrors, reset } = useAction(setAllowedScopesAction);
  return (
    <FormDialog
      trigger="Scopes"
      triggerProps={{ size: "sm", variant: "secondary" }}
      title={`Allowed scopes of ${email}`}
      submitLabel="Save scopes"
      pending={pending}
      fieldErrors={fieldErrors}
      onClose={reset}
      onSubmit={(f, close) => run({ userId, allowedScopes: scopesOf(f) }, { success: "Scopes saved", onSuccess: close })}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Removing a scope removes it from this account&apos;s existing tokens at their next request.</p>
      <ScopeCheckboxes name="scopes" legend="Allowed scopes" defaultChecked={allowedScopes} errors={fieldErrors.allowedScopes} />
    </FormDialog>
  );
}
