"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldErrorSummary, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { afterProposal } from "./after-proposal";
import { SignatureMatchCount } from "./signature-matches";
import { proposePolicyAction } from "@/lib/actions/policies";
import type { EditableGroup } from "@/lib/governance/policy-change";

const TEXTAREA = "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900";

/**
 * The active snapshot's editable numbers and canaries, pre-filled; the proposal carries the
 * ones that differ. The server validates the whole new snapshot and names any field it
 * refuses; those errors show under the field and in a summary above the button.
 */
export function PolicyProposalForm({ baseSnapshotId, groups, current, canaryIds, canarySignatures }: { baseSnapshotId: string; groups: readonly EditableGroup[]; current: Record<string, number>; canaryIds: string; canarySignatures: string }) {
  const requestId = useRef("");
  const propose = useAction(proposePolicyAction);
  const router = useRouter();
  const [changed, setChanged] = useState<string[]>([]);
  const errorsFor = (path: string) => propose.fieldErrors[`values.${path}`] ?? propose.fieldErrors[path];
  const canaryErrors = (prefix: string) => Object.entries(propose.fieldErrors).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => `${k} ${v.join("; ")}`);
  const allErrors = Object.entries(propose.fieldErrors);

  return (
    <form
      aria-label="Propose a policy change"
      className="space-y-6"
      onChange={(e) => {
        const form = e.currentTarget;
        setChanged(Object.keys(current).filter((path) => (form.elements.namedItem(`values.${path}`) as HTMLInputElement | null)?.value.trim() !== String(current[path])));
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const values: Record<string, string> = {};
        for (const path of Object.keys(current)) values[path] = String(form.get(`values.${path}`) ?? "");
        requestId.current ||= crypto.randomUUID();
        propose.run(
          { baseSnapshotId, values, canaryIds: String(form.get("canaryIds") ?? ""), canarySignatures: String(form.get("canarySignatures") ?? ""), reason: String(form.get("reason") ?? ""), requestId: requestId.current },
          afterProposal(requestId, router),
        );
      }}
    >
      {groups.map((g) => (
        <fieldset key={g.title} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <legend className="px-1 text-sm font-semibold text-zinc-900 dark:text-zinc-100">{g.title}</legend>
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {g.fields.map((f) => {
              const id = `f-${f.path.replaceAll(".", "-")}`;
              const errors = errorsFor(f.path);
              return (
                <Field key={f.path} id={id} label={f.label} hint={`${f.meaning} · now ${current[f.path]}`} errors={errors}>
                  <Input
                    id={id}
                    name={`values.${f.path}`}
                    inputMode="decimal"
                    defaultValue={String(current[f.path])}
                    aria-invalid={errors ? true : undefined}
                    aria-describedby={errors ? `${id}-error` : undefined}
                    data-changed={changed.includes(f.path) ? "" : undefined}
                    className="font-mono tabular-nums data-[changed]:border-amber-500 data-[changed]:bg-amber-50 dark:data-[changed]:bg-amber-950"
                  />
                </Field>
              );
            })}
          </div>
        </fieldset>
      ))}

      <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <legend className="px-1 text-sm font-semibold text-zinc-900 dark:text-zinc-100">Canaries (gating spec §6.1)</legend>
        <p className="text-xs text-zinc-500">A canary is never released automatically. Removing an id or a signature retires it: say why in the reason.</p>
        <Field id="canary-ids" label="Canary record ids" hint="One per line." errors={canaryErrors("canaries.ids").length ? canaryErrors("canaries.ids") : undefined}>
          <textarea id="canary-ids" name="canaryIds" rows={4} defaultValue={canaryIds} className={TEXTAREA} />
        </Field>
        <Field
          id="canary-signatures"
          label="Canary signatures (JSON)"
          hint={'A list of { "name", "allFlags": [...], "where": { topology field: { "gte", "lte" } } }.'}
          errors={[...(propose.fieldErrors.canarySignatures ?? []), ...canaryErrors("canaries.signatures")].length ? [...(propose.fieldErrors.canarySignatures ?? []), ...canaryErrors("canaries.signatures")] : undefined}
        >
          <textarea id="canary-signatures" name="canarySignatures" rows={10} defaultValue={canarySignatures} spellCheck={false} className={TEXTAREA} />
        </Field>
        <SignatureMatchCount baseSnapshotId={baseSnapshotId} textareaId="canary-signatures" />
      </fieldset>

      <Field id="proposal-reason" label="Reason" hint="Why this change, and what you expect it to do. It goes into the edit log with the proposal." errors={propose.fieldErrors.reason}>
        <textarea id="proposal-reason" name="reason" rows={3} maxLength={2000} required aria-invalid={propose.fieldErrors.reason ? true : undefined} className={TEXTAREA.replace("font-mono text-xs", "text-sm")} />
      </Field>

      <FieldErrorSummary title="The proposal was refused:" errors={allErrors} />

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={propose.pending}>
          {propose.pending ? "Proposing…" : "Propose"}
        </Button>
        <span className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {changed.length === 0 ? "No value changed yet." : `${changed.length} value${changed.length === 1 ? "" : "s"} changed.`}
        </span>
      </div>
    </form>
  );
}
