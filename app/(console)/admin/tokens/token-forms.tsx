"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { ScopeCheckboxes } from "@/components/ui/scope-checkboxes";
import { useAction } from "@/components/ui/use-action";
import { createTokenAction, revokeTokenAction } from "@/lib/actions/admin";
import type { ApiScope } from "@/lib/auth/permissions";

type Owner = { id: string; email: string; allowedScopes: ApiScope[] };

/** The new token, shown once, with a copy button. */
function CreatedToken({ token, onDone }: { token: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Copy it now: it is shown only once. Send it as <code className="font-mono">Authorization: Bearer …</code>.
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="new-token" className="flex-1 rounded bg-zinc-100 px-2 py-1.5 font-mono text-xs break-all dark:bg-zinc-800">
          {token}
        </code>
        <Button size="sm" variant="secondary" aria-label="Copy token" onClick={() => void navigator.clipboard?.writeText(token).then(() => setCopied(true))}>
          {copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
        </Button>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </>
  );
}

const EXPIRY_CHOICES = [7, 30, 90, 365];

/** `defaultDays` is the deployment's API_TOKEN_DAYS; "never" is there only as a deliberate choice. */
export function CreateTokenForm({ owners, defaultDays }: { owners: Owner[]; defaultDays: number }) {
  const [created, setCreated] = useState<string | null>(null);
  const { run, pending, fieldErrors, reset } = useAction(createTokenAction);
  return (
    <FormDialog
      trigger={
        <>
          <KeyRound aria-hidden className="size-4" /> New token
        </>
      }
      triggerProps={{ disabled: owners.length === 0, title: owners.length === 0 ? "Create an active service account first" : undefined }}
      title={created ? "Token created" : "New API token"}
      submitLabel="Create token"
      pending={pending}
      fieldErrors={fieldErrors}
      replacement={created ? (close) => <CreatedToken token={created} onDone={close} /> : undefined}
      onClose={() => (setCreated(null), reset())}
      onSubmit={(f) => {
        const days = String(f.get("expires"));
        run(
          {
            ownerId: String(f.get("ownerId")),
            name: String(f.get("name")),
            scopes: f.getAll("scopes").map(String) as ApiScope[],
            expiresInDays: days === "never" ? "never" : Number(days),
          },
          { onSuccess: (data) => setCreated(data.token) },
        );
      }}
    >
      <Field id="tk-owner" label="Service account" errors={fieldErrors.ownerId}>
        <Select id="tk-owner" name="ownerId" aria-invalid={!!fieldErrors.ownerId}>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.email} ({o.allowedScopes.join(", ") || "no scopes"})
            </option>
          ))}
        </Select>
      </Field>
      <Field id="tk-name" label="Name" errors={fieldErrors.name} hint="Where it is used, e.g. “nightly scoring job”.">
        <Input id="tk-name" name="name" autoFocus aria-invalid={!!fieldErrors.name} />
      </Field>
      <ScopeCheckboxes name="scopes" legend="Scopes (within the account's allowed scopes)" errors={fieldErrors.scopes} />
      <Field id="tk-expires" label="Expires" errors={fieldErrors.expiresInDays} hint="A token that never expires stays valid until someone revokes it.">
        <Select id="tk-expires" name="expires" defaultValue={String(defaultDays)}>
          {[...new Set([...EXPIRY_CHOICES, defaultDays])]
            .sort((a, b) => a - b)
            .map((d) => (
              <option key={d} value={String(d)}>
                {d === 365 ? "in a year" : `in ${d} days`}
                {d === defaultDays ? " (default)" : ""}
              </option>
            ))}
          <option value="never">never (not recommended)</option>
        </Select>
      </Field>
    </FormDialog>
  );
}

export function RevokeToken({ tokenId, name }: { tokenId: string; name: string }) {
  const { run, pending } = useAction(revokeTokenAction);
  return (
    <Button
      size="sm"
      variant="danger"
      disabled={pending}
      onClick={() => {
        if (!window.confirm(`Revoke “${name}”? Requests with it fail at once.`)) return;
        run({ tokenId }, { success: `Token “${name}” revoked` });
      }}
    >
      Revoke
    </Button>
  );
}
