"use client";

import { Check, Lock, PenLine, Undo2, UserRoundCog } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { tinykeys } from "tinykeys";
import { ConflictNotice } from "@/components/review/conflict-notice";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { isTyping } from "@/components/ui/keyboard";
import { ShortcutsHelp } from "@/components/ui/shortcuts-help";
import { Time } from "@/components/ui/time";
import { consoleRoute, useAction } from "@/components/ui/use-action";
import { amendRecordAction, annotateRecordAction, claimRecordAction, takeOverRecordAction } from "@/lib/actions/decisions";
import type { DecisionOutcome } from "@/lib/data/decisions";
import type { FieldErrors } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { AMEND_REASON_LABELS, AMEND_REASONS, labelName, OVERRIDE_REASON_LABELS, OVERRIDE_REASONS, TEXT_MAX } from "@/lib/validations/decision-labels";
import { OutcomeBadge } from "./outcome";

export interface DecisionPanelProps {
  recordId: string;
  resultVersion: number;
  /** the record's decision version this page showed */
  ledgerVersion: number;
  machineLabel: boolean;
  queued: boolean;
  /** the human outcome: the latest confirm, override or amendment */
  outcome: { action: "confirm" | "override" | "amend"; label: boolean; at: string; seq: string; by: string | null } | null;
  claim: { name: string | null; until: string; mine: boolean } | null;
  canDecide: boolean;
  canAmend: boolean;
  /** the next record of the analyst's queue view, and the view itself */
  nextHref: string | null;
  queueHref: string;
}

/** Confirm and override, the analysts' most frequent write: the lean route (lib/api/console.ts), the actions' result shape. */
const decideRecord = consoleRoute<Record<string, unknown>, DecisionOutcome>("/api/console/decisions");

/** How long a confirm or override waits, undoable, before it is written. */
export const UNDO_MS = 5000;

const SHORTCUTS: [string, string][] = [
  ["c", "Confirm the machine's label (written after 5 s)"],
  ["o", "Override: open the reason form"],
  ["u", "Undo the confirm or override not yet written"],
  ["n", "Next record in your queue view (writes a pending decision now)"],
  ["?", "Show these shortcuts"],
  ["Esc", "Close a form or this list"],
];

const textareaClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

type Draft = { reasonCode: string; reasonText: string; evidence: string };
const EMPTY_DRAFT: Draft = { reasonCode: "", reasonText: "", evidence: "" };
const draftKey = (recordId: string) => `sentinel:override-draft:${recordId}`;

type Staged = { kind: "confirm" | "override"; input: Record<string, unknown>; toastId: string | number };

/**
 * The decision panel (sticky, beside the evidence). Confirm (`c`) and override (`o`) are
 * staged for five seconds with an Undo (`u`, or the toast's button): nothing is written
 * until the time is up or the analyst moves on (`n`, or leaving the page writes it at
 * once). While someone else holds the record the buttons say who and until when, with
 * Take over. The typed override survives a conflict and a reload (kept in the tab's
 * session storage until it is written). A lead amends a decided record here.
 */
export function DecisionPanel(props: DecisionPanelProps) {
  const { recordId, resultVersion, machineLabel, queued, outcome, claim, canDecide, canAmend, nextHref } = props;
  const router = useRouter();
  // The version this panel decides against: the page's, moved on by the analyst's own claim or takeover.
  const [seen, setSeen] = useState({ prop: props.ledgerVersion, version: props.ledgerVersion });
  if (seen.prop !== props.ledgerVersion) setSeen({ prop: props.ledgerVersion, version: props.ledgerVersion });
  const ledgerVersion = seen.version;
  const [staged, setStaged] = useState<Staged | null>(null);
  const stagedRef = useRef<Staged | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [writing, setWriting] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [amending, setAmending] = useState(false);
  const [help, setHelp] = useState(false);
  const [note, setNote] = useState("");
  const requestId = useRef<string>("");
  const reasonRef = useRef<HTMLSelectElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const claimAction = useAction(claimRecordAction);
  const takeoverAction = useAction(takeOverRecordAction);
  const noteAction = useAction(annotateRecordAction);
  const amendAction = useAction(amendRecordAction);
  const busy = writing || claimAction.pending || takeoverAction.pending || noteAction.pending || amendAction.pending;
  const heldByOther = claim !== null && !claim.mine && outcome === null;
  const open = queued && outcome === null && canDecide;

  // The typed override of an earlier visit (a conflict, a reload) comes back.
  useEffect(() => {
    const saved = sessionStorage.getItem(draftKey(recordId));
    if (!saved) return;
    try {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- session storage is only readable after hydration
      setDraft({ ...EMPTY_DRAFT, ...(JSON.parse(saved) as Partial<Draft>) });
      setOverriding(true);
    } catch {
      sessionStorage.removeItem(draftKey(recordId));
    }
  }, [recordId]);

  function updateDraft(change: Partial<Draft>) {
    setDraft((d) => {
      const next = { ...d, ...change };
      sessionStorage.setItem(draftKey(recordId), JSON.stringify(next));
      return next;
    });
  }

  /** Writes the staged decision now; `then` runs after (navigate to the next record). */
  async function commit(then?: () => void) {
    clearTimeout(timer.current);
    const s = stagedRef.current;
    stagedRef.current = null;
    if (!s) {
      then?.();
      return;
    }
    toast.dismiss(s.toastId);
    setStaged(null);
    setWriting(true);
    try {
      const result = await decideRecord(s.input);
      if (result.ok) {
        setConflict(null);
        setFieldErrors({});
        if (s.kind === "override") {
          sessionStorage.removeItem(draftKey(recordId));
          setDraft(EMPTY_DRAFT);
          setOverriding(false);
        }
        toast.success(`${s.kind === "confirm" ? "Confirmed" : "Overrode"} ${recordId}${result.data.replayed ? " (already recorded)" : ""} — entry #${result.data.seq}`);
        if (then) then();
        else router.refresh();
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
      setWriting(false);
    }
  }

  function undo() {
    const s = stagedRef.current;
    if (!s) return;
    clearTimeout(timer.current);
    stagedRef.current = null;
    setStaged(null);
    toast.dismiss(s.toastId);
    toast(`Undone — nothing was recorded for ${recordId}`);
  }

  function stage(kind: Staged["kind"], input: Record<string, unknown>) {
    if (stagedRef.current || busy || !open || heldByOther) return;
    if (!requestId.current) requestId.current = crypto.randomUUID();
    const what = kind === "confirm" ? `Confirm ${labelName(machineLabel)}` : `Override to ${labelName(!machineLabel)}`;
    const toastId = toast(`${what} — recorded in 5 s`, {
      description: "Press u to undo.",
      duration: UNDO_MS,
      action: { label: "Undo", onClick: undo },
    });
    const s: Staged = { kind, input: { ...input, recordId, resultVersion, ledgerVersion, machineLabel, requestId: requestId.current }, toastId };
    stagedRef.current = s;
    setStaged(s);
    timer.current = setTimeout(() => void commit(), UNDO_MS);
  }

  function confirm() {
    stage("confirm", { action: "confirm" });
  }

  function submitOverride() {
    const evidence = draft.evidence.trim();
    stage("override", { action: "override", reasonCode: draft.reasonCode || null, reasonText: draft.reasonText, evidence: evidence ? [evidence] : [] });
  }

  function goNext() {
    if (!nextHref) return;
    void commit(() => router.push(nextHref));
  }

  // Leaving the page (another link, back) writes a staged decision at once; closing or
  // reloading the tab cannot wait for it, so the browser asks first.
  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (stagedRef.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      if (stagedRef.current) void commit(() => {});
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once: the cleanup runs when the page goes away
  }, []);

  function takeClaim() {
    claimAction.run(
      { recordId },
      {
        onSuccess: (d) => {
          setSeen({ prop: props.ledgerVersion, version: d.ledgerVersion });
          toast.success(`You hold ${recordId} until ${formatUtc(d.until)}`);
          router.refresh();
        },
      },
    );
  }

  function takeOver() {
    takeoverAction.run(
      { recordId, ledgerVersion },
      {
        onSuccess: (d) => {
          setSeen({ prop: props.ledgerVersion, version: d.ledgerVersion });
          toast.success(`You took over ${recordId} until ${formatUtc(d.until)} — entry #${d.seq}`);
          router.refresh();
        },
      },
    );
  }

  function addNote() {
    noteAction.run(
      { recordId, text: note, requestId: crypto.randomUUID() },
      {
        onSuccess: (d) => {
          setNote("");
          toast.success(`Note added — entry #${d.seq}`);
          router.refresh();
        },
      },
    );
  }

  function submitAmend(form: FormData) {
    if (!outcome) return;
    amendAction.run(
      {
        recordId,
        ledgerVersion,
        label: !outcome.label,
        reasonCode: String(form.get("amendReason") ?? ""),
        reasonText: String(form.get("amendText") ?? ""),
        requestId: crypto.randomUUID(),
      },
      {
        onSuccess: (d) => {
          setAmending(false);
          toast.success(`Amended ${recordId} to ${labelName(!outcome.label)} — entry #${d.seq}`);
          router.refresh();
        },
      },
    );
  }

  useEffect(() => {
    // Shortcuts are live from here on (end-to-end tests wait for it).
    panelRef.current?.setAttribute("data-keyboard", "on");
  }, []);

  useEffect(() => {
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
        if (isTyping(e) || !open || heldByOther) return;
        e.preventDefault();
        setOverriding(true);
      },
      u: (e) => {
        if (isTyping(e) || !stagedRef.current) return;
        e.preventDefault();
        undo();
      },
      n: (e) => {
        if (isTyping(e) || !nextHref) return;
        e.preventDefault();
        goNext();
      },
      "?": toggleHelp,
      "Shift+?": toggleHelp,
      Escape: () => {
        setHelp(false);
        setOverriding(false);
        setAmending(false);
      },
    });
  });

  useEffect(() => {
    if (overriding) reasonRef.current?.focus();
  }, [overriding]);

  const other = !machineLabel;
  const errors = { ...fieldErrors, ...amendAction.fieldErrors };
  return (
    <aside ref={panelRef} aria-label="Decision" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 lg:sticky lg:top-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div>
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Decision</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The machine says <strong className="text-zinc-900 dark:text-zinc-100">{labelName(machineLabel)}</strong> (result v{resultVersion}).
        </p>
      </div>

      {conflict ? <ConflictNotice message={conflict} /> : null}

      {outcome ? (
        <div className="space-y-1 rounded-md border border-zinc-200 bg-zinc-50 p-3 text-sm dark:border-zinc-700 dark:bg-zinc-800/50">
          <OutcomeBadge action={outcome.action} label={outcome.label} />
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            by {outcome.by ?? "someone"} <Time value={outcome.at} /> · entry <span className="font-mono whitespace-nowrap">#{outcome.seq}</span>
          </p>
        </div>
      ) : !queued ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Released automatically: not in the audit queue.</p>
      ) : null}

      {claim && outcome === null ? (
        <p data-testid="claim-line" className="text-sm text-zinc-700 dark:text-zinc-300">
          <Lock aria-hidden className="mr-1.5 inline size-3.5 align-[-2px]" />
          {claim.mine ? "You hold" : <strong className="font-medium">{claim.name ?? "Someone"}</strong>}
          {claim.mine ? "" : " holds"} this record until <Time value={claim.until} className="font-medium" />
        </p>
      ) : null}

      <div role="status" aria-live="assertive" className="sr-only">
        {staged ? `${staged.kind === "confirm" ? "Confirm" : "Override"} staged; it is recorded in 5 seconds. Press u to undo.` : ""}
      </div>

      {!open && draft.reasonText.trim() !== "" ? (
        <div data-testid="unsent-override" className="space-y-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-700">
          <p className="font-medium">Your override was not recorded. What you wrote:</p>
          <p className="whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{draft.reasonText}</p>
          <div className="flex gap-2">
            {canDecide ? (
              <Button size="sm" variant="secondary" onClick={() => setNote(draft.reasonText)}>
                Use as a note
              </Button>
            ) : null}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                sessionStorage.removeItem(draftKey(recordId));
                setDraft(EMPTY_DRAFT);
              }}
            >
              Discard
            </Button>
          </div>
        </div>
      ) : null}

      {open && heldByOther ? (
        <div className="space-y-2">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Confirm and override are {claim!.name ?? "someone else"}’s until the claim runs out. Taking over is recorded in the edit log.
          </p>
          <Button onClick={takeOver} disabled={busy}>
            <UserRoundCog aria-hidden className="size-4" /> Take over from {claim!.name ?? "them"}
          </Button>
        </div>
      ) : open ? (
        <div className="space-y-3">
          {staged ? (
            <div data-testid="staged" className="flex items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
              <span>{staged.kind === "confirm" ? `Confirming ${labelName(machineLabel)}` : `Overriding to ${labelName(other)}`} in 5 s…</span>
              <Button size="sm" variant="secondary" onClick={undo} aria-keyshortcuts="u">
                Undo <kbd className="font-mono text-xs">u</kbd>
              </Button>
            </div>
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button onClick={confirm} disabled={busy} aria-keyshortcuts="c">
                <Check aria-hidden className="size-4" /> Confirm {labelName(machineLabel)} <kbd className="ml-1 rounded bg-white/20 px-1 font-mono text-xs">c</kbd>
              </Button>
              <Button variant="secondary" onClick={() => setOverriding((v) => !v)} disabled={busy} aria-expanded={overriding} aria-keyshortcuts="o">
                <Undo2 aria-hidden className="size-4" /> Override… <kbd className="ml-1 rounded border border-zinc-300 px-1 font-mono text-xs dark:border-zinc-600">o</kbd>
              </Button>
            </div>
          )}
          {claim === null ? (
            <Button variant="ghost" size="sm" onClick={takeClaim} disabled={busy} title="Tell others you are on it for 15 minutes">
              <Lock aria-hidden className="size-3.5" /> Claim for 15 min
            </Button>
          ) : null}
          {overriding ? (
            <form
              aria-label="Override"
              className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
              onSubmit={(e) => {
                e.preventDefault();
                submitOverride();
              }}
            >
              <p className="text-sm">
                Release <strong>{labelName(other)}</strong> instead.
              </p>
              <Field id="d-reasonCode" label="Reason" errors={errors.reasonCode}>
                <Select ref={reasonRef} id="d-reasonCode" name="reasonCode" value={draft.reasonCode} onChange={(e) => updateDraft({ reasonCode: e.target.value })} aria-invalid={Boolean(errors.reasonCode)} required>
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
              <Field id="d-reasonText" label="Why" hint="Required. What you saw that the model did not." errors={errors.reasonText}>
                <textarea
                  id="d-reasonText"
                  name="reasonText"
                  rows={3}
                  maxLength={TEXT_MAX}
                  required
                  value={draft.reasonText}
                  onChange={(e) => updateDraft({ reasonText: e.target.value })}
                  aria-invalid={Boolean(errors.reasonText)}
                  className={textareaClass}
                />
              </Field>
              <Field id="d-evidence" label="Evidence link (optional)" errors={errors.evidence}>
                <input id="d-evidence" name="evidence" type="url" placeholder="https://…" value={draft.evidence} onChange={(e) => updateDraft({ evidence: e.target.value })} className={textareaClass} />
              </Field>
              <div className="flex gap-2">
                <Button type="submit" variant="danger" disabled={busy || staged !== null}>
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

      {outcome && canAmend ? (
        amending ? (
          <form
            aria-label="Amend"
            className="space-y-3 rounded-md border border-violet-200 p-3 dark:border-violet-900"
            onSubmit={(e) => {
              e.preventDefault();
              submitAmend(new FormData(e.currentTarget));
            }}
          >
            <p className="text-sm">
              Amend the outcome to <strong>{labelName(!outcome.label)}</strong>. The decision stays on the record; the amendment is a new edit-log entry.
            </p>
            <Field id="d-amendReason" label="Reason" errors={errors.reasonCode}>
              <Select id="d-amendReason" name="amendReason" defaultValue="" required aria-invalid={Boolean(errors.reasonCode)}>
                <option value="" disabled>
                  Choose a reason…
                </option>
                {AMEND_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {AMEND_REASON_LABELS[r].label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field id="d-amendText" label="Why" hint="Required." errors={errors.reasonText}>
              <textarea id="d-amendText" name="amendText" rows={3} maxLength={TEXT_MAX} required aria-invalid={Boolean(errors.reasonText)} className={textareaClass} />
            </Field>
            <div className="flex gap-2">
              <Button type="submit" variant="danger" disabled={busy}>
                Amend to {labelName(!outcome.label)}
              </Button>
              <Button variant="ghost" onClick={() => setAmending(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <Button variant="secondary" size="sm" onClick={() => setAmending(true)} disabled={busy}>
            <PenLine aria-hidden className="size-3.5" /> Amend…
          </Button>
        )
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
          <Field id="d-text" label="Note" errors={noteAction.fieldErrors.text}>
            <textarea id="d-text" rows={2} maxLength={TEXT_MAX} value={note} onChange={(e) => setNote(e.target.value)} className={textareaClass} placeholder="Visible in the timeline and the ledger" />
          </Field>
          <Button type="submit" variant="secondary" size="sm" disabled={busy || note.trim() === ""}>
            Add note
          </Button>
        </form>
      ) : null}

      <div className="flex items-center justify-between border-t border-zinc-100 pt-3 text-xs text-zinc-500 dark:border-zinc-800">
        {nextHref ? (
          <Link
            href={nextHref}
            onClick={(e) => {
              e.preventDefault();
              goNext();
            }}
            className="text-sky-700 hover:underline dark:text-sky-400"
          >
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

      {help ? <ShortcutsHelp shortcuts={SHORTCUTS} onClose={() => setHelp(false)} /> : null}
    </aside>
  );
}
