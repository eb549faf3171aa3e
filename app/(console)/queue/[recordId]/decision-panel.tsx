"use client";

import { Check, Lock, Undo2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { tinykeys } from "tinykeys";
import { isTyping } from "@/components/ui/keyboard";
import { annotateRecordAction, claimRecordAction, decideRecordAction } from "@/lib/actions/decisions";
import type { ActionResult } from "@/lib/actions/result";
import { ConflictNotice } from "@/components/review/conflict-notice";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { ShortcutsHelp } from "@/components/ui/shortcuts-help";
import { Time } from "@/components/ui/time";
import type { FieldErrors } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { labelName, OVERRIDE_REASON_LABELS, OVERRIDE_REASONS, TEXT_MAX } from "@/lib/validations/decisions";

export interface DecisionPanelProps {
  recordId: string;
  resultVersion: number;
  ledgerVersion: number;
  machineLabel: boolean;
  queued: boolean;
  decided: { action: "confirm" | "override"; label: boolean; at: string; seq: string; by: string | null } | null;
  claim: { name: string | null; until: string; mine: boolean } | null;
  canDecide: boolean;
  /** the next record of the analyst's queue view, and the view itself */
  nextHref: string | null;
  queueHref: string;
}

const SHORTCUTS: [string, string][] = [
  ["c", "Confirm the machine's label"],
  ["o", "Override: open the reason form"],
  ["n", "Next record in your queue view"],
  ["?", "Show these shortcuts"],
  ["Esc", "Close a form or this list"],
];

const textareaClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

/**
 * The decision panel (sticky, beside the evidence): claim, confirm, override with a reason,
 * note. Every call carries the versions this page showed; a conflict replaces the buttons
 * with who acted and when, and a reload. One request id per intended action, so a double
 * click or a retry never writes twice. Keyboard: c, o, n, ?.
 */
export function DecisionPanel(props: DecisionPanelProps) {
  const { recordId, resultVersion, machineLabel, queued, decided, claim, canDecide, nextHref } = props;
  const router = useRouter();
  const [ledgerVersion, setLedgerVersion] = useState(props.ledgerVersion);
  const [pending, setPending] = useState<null | "confirm" | "override" | "claim" | "note">(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [help, setHelp] = useState(false);
  const [note, setNote] = useState("");
  const requestId = useRef<string>(crypto.randomUUID());
  const reasonRef = useRef<HTMLSelectElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const open = queued && !decided && canDecide && conflict === null;

  async function call<T>(kind: NonNullable<typeof pending>, action: () => Promise<ActionResult<T>>, onSuccess: (data: T) => void) {
    if (pending) return;
    setPending(kind);
    try {
      const result = await action();
      if (result.ok) {
        setFieldErrors({});
        requestId.current = crypto.randomUUID();
        onSuccess(result.data);
      } else if (result.code === "conflict") {
        setConflict(result.error);
        toast.error(result.error);
      } else {
        setFieldErrors(result.fieldErrors ?? {});
        toast.error(result.error);
        const first = Object.keys(result.fieldErrors ?? {})[0];
        if (first) document.getElementById(`d-${first}`)?.focus();
      }
    } finally {
      setPending(null);
    }
  }

  function afterDecision(what: string, seq: string, replayed: boolean) {
    toast.success(`${what} ${recordId}${replayed ? " (already recorded)" : ""} — entry #${seq}`);
    if (nextHref) router.push(nextHref);
    else router.refresh();
  }

  function confirm() {
    if (!open) return;
    void call("confirm", () => decideRecordAction({ recordId, resultVersion, ledgerVersion, machineLabel, action: "confirm", requestId: requestId.current }), (d) =>
      afterDecision("Confirmed", d.seq, d.replayed),
    );
  }

  function submitOverride(form: FormData) {
    const evidence = String(form.get("evidence") ?? "").trim();
    void call(
      "override",
      () =>
        decideRecordAction({
          recordId,
          resultVersion,
          ledgerVersion,
          machineLabel,
          action: "override",
          reasonCode: String(form.get("reasonCode") ?? "") || null,
          reasonText: String(form.get("reasonText") ?? ""),
          evidence: evidence ? [evidence] : [],
          requestId: requestId.current,
        }),
      (d) => afterDecision("Overrode", d.seq, d.replayed),
    );
  }

  function takeClaim() {
    void call("claim", () => claimRecordAction({ recordId }), (d) => {
      setLedgerVersion(d.ledgerVersion);
      toast.success(`You hold ${recordId} until ${formatUtc(d.until)}`);
      router.refresh();
    });
  }

  function addNote() {
    void call("note", () => annotateRecordAction({ recordId, text: note, requestId: requestId.current }), (d) => {
      setLedgerVersion(d.subjectVersion);
      setNote("");
      toast.success(`Note added — entry #${d.seq}`);
      router.refresh();
    });
  }

  useEffect(() => {
    panelRef.current?.setAttribute("data-keyboard", "on");
    const toggleHelp = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      e.preventDefault();
      setHelp((v) => !v);
    };
    return tinykeys(window, {
      c: (e) => {
        if (isTyping(e) || overriding) return;
        e.preventDefault();
        confirm();
      },
      o: (e) => {
        if (isTyping(e) || !open) return;
        e.preventDefault();
        setOverriding(true);
      },
      n: (e) => {
        if (isTyping(e) || !nextHref) return;
        e.preventDefault();
        router.push(nextHref);
      },
      "?": toggleHelp,
      "Shift+?": toggleHelp,
      Escape: () => {
        setHelp(false);
        setOverriding(false);
      },
    });
  });

  useEffect(() => {
    if (overriding) reasonRef.current?.focus();
  }, [overriding]);

  const other = !machineLabel;
  return (
    <aside ref={panelRef} aria-label="Decision" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 lg:sticky lg:top-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div>
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Decision</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The machine says <strong className="text-zinc-900 dark:text-zinc-100">{labelName(machineLabel)}</strong> (result v{resultVersion}).
        </p>
      </div>

      {conflict ? <ConflictNotice message={conflict} /> : null}

      {decided ? (
        <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200">
          <p className="font-medium">
            {decided.action === "confirm" ? "Confirmed" : "Overridden"}: {labelName(decided.label)}
          </p>
          <p className="text-xs">
            by {decided.by ?? "someone"} <Time value={decided.at} /> · entry #{decided.seq}
          </p>
        </div>
      ) : !queued ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Released automatically: not in the audit queue.</p>
      ) : null}

      {claim && !decided ? (
        <p className="flex items-center gap-1.5 text-sm text-zinc-700 dark:text-zinc-300">
          <Lock aria-hidden className="size-3.5" />
          {claim.mine ? "You hold this record" : `${claim.name ?? "Someone"} holds this record`} until <Time value={claim.until} className="font-medium" />
        </p>
      ) : null}

      {open ? (
        <div className="space-y-3">
          <div className="flex flex-wrap gap-2">
            <Button onClick={confirm} disabled={pending !== null} aria-keyshortcuts="c">
              <Check aria-hidden className="size-4" /> Confirm {labelName(machineLabel)} <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">c</kbd>
            </Button>
            <Button variant="secondary" onClick={() => setOverriding((v) => !v)} disabled={pending !== null} aria-expanded={overriding} aria-keyshortcuts="o">
              <Undo2 aria-hidden className="size-4" /> Override… <kbd className="ml-1 rounded border border-zinc-300 px-1 font-mono text-xs dark:border-zinc-600">o</kbd>
            </Button>
          </div>
          {claim === null || !claim.mine ? (
            <Button variant="ghost" size="sm" onClick={takeClaim} disabled={pending !== null || (claim !== null && !claim.mine)} title={claim && !claim.mine ? "Someone else holds it" : "Tell others you are on it for 15 minutes"}>
              <Lock aria-hidden className="size-3.5" /> Claim for 15 min
            </Button>
          ) : null}
          {overriding ? (
            <form
              aria-label="Override"
              className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
              onSubmit={(e) => {
                e.preventDefault();
                submitOverride(new FormData(e.currentTarget));
              }}
            >
              <p className="text-sm">
                Release <strong>{labelName(other)}</strong> instead.
              </p>
              <Field id="d-reasonCode" label="Reason" errors={fieldErrors.reasonCode}>
                <Select ref={reasonRef} id="d-reasonCode" name="reasonCode" defaultValue="" aria-invalid={Boolean(fieldErrors.reasonCode)} required>
                  <option value="" disabled>
                    Choose a reason…
                  </option>
                  {OVERRIDE_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {OVERRIDE_REASON_LABELS[r].label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field id="d-reasonText" label="Why" hint="Required. What you saw that the model did not." errors={fieldErrors.reasonText}>
                <textarea id="d-reasonText" name="reasonText" rows={3} maxLength={TEXT_MAX} required aria-invalid={Boolean(fieldErrors.reasonText)} className={textareaClass} />
              </Field>
              <Field id="d-evidence" label="Evidence link (optional)" errors={fieldErrors.evidence}>
                <input id="d-evidence" name="evidence" type="url" placeholder="https://…" className={textareaClass} />
              </Field>
              <div className="flex gap-2">
                <Button type="submit" variant="danger" disabled={pending !== null}>
                  Override to {labelName(other)}
                </Button>
                <Button variant="ghost" onClick={() => setOverriding(false)}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : null}
        </div>
      ) : !canDecide ? (
        <p className="text-sm text-zinc-500">Your role can read this record but not decide it.</p>
      ) : null}

      {canDecide ? (
        <form
          aria-label="Add a note"
          className="space-y-2 border-t border-zinc-100 pt-3 dark:border-zinc-800"
          onSubmit={(e) => {
            e.preventDefault();
            addNote();
          }}
        >
          <Field id="d-text" label="Note" errors={fieldErrors.text}>
            <textarea id="d-text" rows={2} maxLength={TEXT_MAX} value={note} onChange={(e) => setNote(e.target.value)} className={textareaClass} placeholder="Visible in the timeline and the ledger" />
          </Field>
          <Button type="submit" variant="secondary" size="sm" disabled={pending !== null || note.trim() === ""}>
            Add note
          </Button>
        </form>
      ) : null}

      <div className="flex items-center justify-between border-t border-zinc-100 pt-3 text-xs text-zinc-500 dark:border-zinc-800">
        {nextHref ? (
          <Link href={nextHref} className="text-sky-700 hover:underline dark:text-sky-400">
            Next record <kbd className="font-mono">n</kbd>
          </Link>
        ) : (
          <Link href={props.queueHref} className="text-sky-700 hover:underline dark:text-sky-400">
            Back to the queue
          </Link>
        )}
        <span>
          <kbd className="font-mono">?</kbd> shortcuts
        </span>
      </div>

      {help ? (
        <ShortcutsHelp shortcuts={SHORTCUTS} onClose={() => setHelp(false)} />
      ) : null}
    </aside>
  );
}
