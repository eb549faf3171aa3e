"use client";

import { Webhook } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, Input } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { createWebhookAction, setWebhookActiveAction } from "@/lib/actions/webhooks";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/validations/webhooks";

/** The new webhook's signing secret, shown once, with a copy button. */
function CreatedSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  return (
    <>
      <p className="text-sm whitespace-normal text-zinc-600 dark:text-zinc-400">
        Copy the signing secret of <strong>{name}</strong> now and give it to the receiver: it is shown only once. Each delivery carries{" "}
        <code className="font-mono text-xs">X-Sentinel-Signature: sha256=…</code>, the HMAC-SHA256 of <code className="font-mono text-xs">timestamp.body</code> with this secret.
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="new-webhook-secret" className="flex-1 rounded bg-zinc-100 px-2 py-1.5 font-mono text-xs break-all dark:bg-zinc-800">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy signing secret" />
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </>
  );
}

export function CreateWebhookForm() {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const { run, pending, fieldErrors, reset } = useAction(createWebhookAction);
  return (
    <FormDialog
      trigger={
        <>
          <Webhook aria-hidden className="size-4" /> New webhook
        </>
      }
      title={created ? "Webhook added" : "New webhook"}
      submitLabel="Add webhook"
      pending={pending}
      fieldErrors={fieldErrors}
      replacement={created ? (close) => <CreatedSecret name={created.name} secret={created.secret} onDone={close} /> : undefined}
      onClose={() => (setCreated(null), reset())}
      onSubmit={(f) =>
        run(
          {
            name: String(f.get("name")),
            url: String(f.get("url")),
            events: f.getAll("events").map(String) as WebhookEventType[],
            secret: String(f.get("secret") ?? ""),
          },
          { onSuccess: (data) => setCreated({ name: data.name, secret: data.secret }) },
        )
      }
    >
      <Field id="wh-name" label="Name" errors={fieldErrors.name} hint="Who receives it, e.g. “Replenishment service”.">
        <Input id="wh-name" name="name" autoFocus aria-invalid={!!fieldErrors.name} />
      </Field>
      <Field id="wh-url" label="URL" errors={fieldErrors.url} hint="http:// or https://; the host must resolve to a public address.">
        <Input id="wh-url" name="url" type="text" inputMode="url" placeholder="https://receiver.example.com/sentinel" aria-invalid={!!fieldErrors.url} />
      </Field>
      <fieldset className="space-y-1.5" aria-describedby={fieldErrors.events?.length ? "wh-events-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
        {WEBHOOK_EVENT_TYPES.map((t) => (
          <label key={t} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="events" value={t} defaultChecked={t === "event.finalised"} className="mt-0.5 size-4 accent-indigo-600" />
            <span>
              <span className="font-mono text-xs">{t}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{WEBHOOK_EVENT_DESCRIPTIONS[t]}</span>
            </span>
          </label>
        ))}
        {fieldErrors.events?.length || fieldErrors["events.0"]?.length ? (
          <p id="wh-events-error" className="text-xs text-red-700 dark:text-red-400">
            Events: {[...(fieldErrors.events ?? []), ...(fieldErrors["events.0"] ?? [])].join("; ")}
          </p>
        ) : null}
      </fieldset>
      <Field id="wh-secret" label="Signing secret (optional)" errors={fieldErrors.secret} hint="Leave empty to have one generated (32 random bytes). At least 16 characters.">
        <Input id="wh-secret" name="secret" type="text" autoComplete="off" spellCheck={false} aria-invalid={!!fieldErrors.secret} />
      </Field>
    </FormDialog>
  );
}

export function SetWebhookActive({ id, name, active }: { id: string; name: string; active: boolean }) {
  const { run, pending } = useAction(setWebhookActiveAction);
  return (
    <Button
      size="sm"
      variant={active ? "danger" : "secondary"}
      disabled={pending}
      aria-label={`${active ? "Deactivate" : "Reactivate"} ${name}`}
      onClick={() => {
        if (active && !window.confirm(`Deactivate “${name}”? It receives nothing until it is reactivated; its pending deliveries wait.`)) return;
        run({ id, active: !active }, { success: `Webhook “${name}” ${active ? "deactivated" : "reactivated"}` });
      }}
    >
      {active ? "Deactivate" : "Reactivate"}
    </Button>
  );
}
