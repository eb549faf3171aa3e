"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { ConflictNotice } from "@/components/review/conflict-notice";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { actOnEventAction, actOnReportAction } from "@/lib/actions/events";
import {
  CAUSE_CATEGORIES,
  CAUSE_CATEGORY_LABELS,
  EVENT_REASON_CODES,
  EVENT_REASON_LABELS,
  FINALISATION_OUTCOME_LABELS,
  FINALISATION_OUTCOMES,
  type EventStatus,
  type HumanAction,
} from "@/lib/mrs/taxonomy";

const area =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

/**
 * The decision panel of an event or of one of its reports (spec §7): confirm the machine
 * cause (a report's confirmation names its reason), override it (closed category + label +
 * reason + text + optional evidence link), note; on an event, leads finalise and reopen.
 * Version-checked; a conflict says so and offers a reload.
 */
export function SubjectActions({
  subject,
  status,
  ledgerVersion,
  machineCause,
  canFinalise,
}: {
  subject: { type: "event" | "report"; id: string };
  status: EventStatus;
  ledgerVersion: number;
  machineCause: string;
  canFinalise: boolean;
}) {
  const router = useRouter();
  const [form, setForm] = useState<HumanAction | null>(null);
  const act = useAction(subject.type === "event" ? actOnEventAction : actOnReportAction);
  const isEvent = subject.type === "event";
  const noun = isEvent ? "Event" : "Report";
  const { pending, fieldErrors: errors } = act;
  const [conflict, setConflict] = useState<string | null>(null);
  const requestId = useRef(crypto.randomUUID());

  function submit(action: HumanAction, data: FormData | null) {
    const get = (k: string) => (data ? String(data.get(k) ?? "") : "");
    const category = get("category");
    act.run(
      {
        [isEvent ? "eventId" : "reportId"]: subject.id,
        action,
        ledgerVersion,
        requestId: requestId.current,
        cause: action === "override" || (action === "finalise" && category) ? { category, label: get("label") } : null,
        ...(isEvent ? { outcome: action === "finalise" ? get("outcome") || null : null } : {}),
        reasonCode: get("reasonCode") || null,
        reasonText: get("reasonText") || null,
        evidenceUrl: get("evidenceUrl") || null,
      },
      {
        onSuccess: (entry) => {
          requestId.current = crypto.randomUUID();
          setForm(null);
          toast.success(`${action === "note" ? "Note added" : `${noun} ${action === "confirm" ? "confirmed" : action === "override" ? "overridden" : action === "finalise" ? "finalised" : "reopened"}`} — entry #${entry.seq}`);
          router.refresh();
        },
        onConflict: setConflict,
      },
    );
  }

  const fieldErr = (k: string) => errors[k] ?? errors[`cause.${k}`];
  const open = status !== "finalised";
  return (
    <aside aria-label={`${noun} decision`} className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 lg:sticky lg:top-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 className="text-sm font-semibold">Decision</h2>
      {!open ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Finalised.{canFinalise ? "" : " A lead can reopen it; you can still add a note."}</p> : null}
      {conflict ? <ConflictNotice message={conflict} /> : null}
      <div className="flex flex-wrap gap-2">
        {open ? (
          <>
            <Button size="sm" disabled={pending || conflict !== null} onClick={() => (isEvent ? submit("confirm", null) : setForm(form === "confirm" ? null : "confirm"))} aria-expanded={isEvent ? undefined : form === "confirm"}>
              Confirm {machineCause}
              {isEvent ? "" : "…"}
            </Button>
            <Button size="sm" variant="secondary" disabled={pending || conflict !== null} onClick={() => setForm(form === "override" ? null : "override")} aria-expanded={form === "override"}>
              Override cause…
            </Button>
          </>
        ) : null}
        {canFinalise && open ? (
          <Button size="sm" variant="secondary" disabled={pending || conflict !== null} onClick={() => setForm(form === "finalise" ? null : "finalise")} aria-expanded={form === "finalise"}>
            Finalise…
          </Button>
        ) : null}
        {canFinalise && !open ? (
          <Button size="sm" variant="secondary" disabled={pending || conflict !== null} onClick={() => setForm(form === "reopen" ? null : "reopen")} aria-expanded={form === "reopen"}>
            Reopen…
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" disabled={pending || conflict !== null} onClick={() => setForm(form === "note" ? null : "note")} aria-expanded={form === "note"}>
          Add note…
        </Button>
      </div>
      {form ? (
        <form
          aria-label={form === "confirm" ? "Confirm cause" : form === "override" ? "Override cause" : form === "finalise" ? "Finalise" : form === "reopen" ? "Reopen" : "Note"}
          className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
          onSubmit={(e) => {
            e.preventDefault();
            submit(form, new FormData(e.currentTarget));
          }}
        >
          {form === "override" || form === "finalise" ? (
            <>
              <Field id="e-category" label="Cause category" errors={fieldErr("category") ?? (form === "override" ? errors.cause : undefined)}>
                <Select id="e-category" name="category" defaultValue="" required={form === "override"}>
                  <option value="">{form === "override" ? "Choose…" : "Keep the decided cause"}</option>
                  {CAUSE_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {CAUSE_CATEGORY_LABELS[c].label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field id="e-label" label="Cause" hint="The specific cause, e.g. TikTok Viral" errors={fieldErr("label")}>
                <Input id="e-label" name="label" maxLength={80} required={form === "override"} />
              </Field>
            </>
          ) : null}
          {form === "finalise" ? (
            <Field id="e-outcome" label="Outcome" errors={errors.outcome}>
              <Select id="e-outcome" name="outcome" defaultValue="" required>
                <option value="">Choose…</option>
                {FINALISATION_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {FINALISATION_OUTCOME_LABELS[o].label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          {form === "override" || form === "finalise" || form === "confirm" ? (
            <Field id="e-reasonCode" label="Reason" errors={errors.reasonCode}>
              <Select id="e-reasonCode" name="reasonCode" defaultValue="" required>
                <option value="">Choose…</option>
                {EVENT_REASON_CODES.filter((r) => r !== "weekend_auto_confirm").map((r) => (
                  <option key={r} value={r}>
                    {EVENT_REASON_LABELS[r].label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field id="e-reasonText" label={form === "note" ? "Note" : form === "confirm" ? "Why (optional)" : "Why"} errors={errors.reasonText}>
            <textarea id="e-reasonText" name="reasonText" rows={3} maxLength={2000} required={form !== "finalise" && form !== "confirm"} className={area} />
          </Field>
          {form === "override" || form === "note" ? (
            <Field id="e-evidenceUrl" label="Evidence link (optional)" errors={errors.evidenceUrl}>
              <Input id="e-evidenceUrl" name="evidenceUrl" type="url" placeholder="https://…" />
            </Field>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={pending}>
              {form === "confirm" ? "Confirm" : form === "override" ? "Override" : form === "finalise" ? "Finalise" : form === "reopen" ? "Reopen" : "Add note"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setForm(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </aside>
  );
}
