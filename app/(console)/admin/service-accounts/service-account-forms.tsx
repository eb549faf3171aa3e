"use client";

import { Plus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Modal } from "@/components/ui/modal";
import { ScopeCheckboxes } from "@/components/ui/scope-checkboxes";
import { useAction } from "@/components/ui/use-action";
import { createServiceAccountAction, setAllowedScopesAction } from "@/lib/actions/admin";
import type { ApiScope } from "@/lib/auth/permissions";

const scopesOf = (f: FormData) => f.getAll("scopes").map(String) as ApiScope[];

export function CreateServiceAccountForm() {
  const [open, setOpen] = useState(false);
  const { run, pending, fieldErrors, reset } = useAction(createServiceAccountAction);
  const close = () => (setOpen(false), reset());
  if (!open) {
    return (
      <Button onClick={() => setOpen(true)}>
        <Plus aria-hidden className="size-4" /> New service account
      </Button>
    );
  }
  return (
    <Modal title="New service account" onClose={close}>
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          run(
            { name: String(f.get("name")), email: String(f.get("email")), allowedScopes: scopesOf(f) },
            { success: "Service account created", onSuccess: close },
          );
        }}
      >
        <Field id="sa-name" label="Name" errors={fieldErrors.name} hint="The system it stands for, e.g. “Scoring pipeline”.">
          <Input id="sa-name" name="name" autoFocus aria-invalid={!!fieldErrors.name} />
        </Field>
        <Field id="sa-email" label="Account id (email form)" errors={fieldErrors.email} hint="e.g. scoring@service.local">
          <Input id="sa-email" name="email" aria-invalid={!!fieldErrors.email} />
        </Field>
        <ScopeCheckboxes name="scopes" legend="Allowed scopes" errors={fieldErrors.allowedScopes} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create account"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function EditScopes({ userId, email, allowedScopes }: { userId: string; email: string; allowedScopes: ApiScope[] }) {
  const [open, setOpen] = useState(false);
  const { run, pending, fieldErrors, reset } = useAction(setAllowedScopesAction);
  const close = () => (setOpen(false), reset());
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        Scopes
      </Button>
      {open ? (
        <Modal title={`Allowed scopes of ${email}`} onClose={close}>
          <form
            className="space-y-4 text-left whitespace-normal"
            onSubmit={(e) => {
              e.preventDefault();
              run({ userId, allowedScopes: scopesOf(new FormData(e.currentTarget)) }, { success: "Scopes saved", onSuccess: close });
            }}
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Removing a scope removes it from this account&apos;s existing tokens at their next request.</p>
            <ScopeCheckboxes name="scopes" legend="Allowed scopes" defaultChecked={allowedScopes} errors={fieldErrors.allowedScopes} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                Save scopes
              </Button>
            </div>
          </form>
        </Modal>
      ) : null}
    </>
  );
}
