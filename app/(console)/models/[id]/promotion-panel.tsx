"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { toast } from "sonner";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { DecisionForm } from "@/components/ui/decision-form";
import { decideModelPromotionAction, proposeModelPromotionAction } from "@/lib/actions/models";

const TEXTAREA = "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * Proposes this version as the model's champion (a promotion of a candidate, or a rollback
 * to an earlier champion). A failed gauntlet asks for a governance override with its reason.
 */
export function ProposePromotion({ cardId, kind, label, failingGates }: { cardId: string; kind: "promote" | "rollback"; label: string; failingGates: string[] }) {
  const requestId = useRef("");
  const propose = useAction(proposeModelPromotionAction);
  const router = useRouter();
  const verb = kind === "rollback" ? "rollback" : "promotion";
  return (
    <FormDialog
      trigger={kind === "rollback" ? "Propose rollback to this version…" : "Propose promotion…"}
      triggerProps={{ variant: kind === "rollback" ? "secondary" : "primary" }}
      title={kind === "rollback" ? `Roll back to ${label}` : `Promote ${label} to champion`}
      submitLabel={kind === "rollback" ? "Propose rollback" : "Propose promotion"}
      pending={propose.pending}
      fieldErrors={propose.fieldErrors}
      onSubmit={(form, close) => {
        requestId.current ||= crypto.randomUUID();
        // A blank override is none: the server then names the gate that needs one.
        const override = String(form.get("gauntletOverride") ?? "");
        propose.run(
          { cardId, kind, reason: String(form.get("reason") ?? ""), ...(failingGates.length > 0 && override.trim() !== "" ? { gauntletOverride: override } : {}), requestId: requestId.current },
          {
            onSuccess: () => {
              toast.success(`${kind === "rollback" ? "Rollback" : "Promotion"} proposed: a second governance user must approve it`);
              close();
              router.refresh();
            },
            onError: () => {
              requestId.current = "";
            },
          },
        );
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The champion stays until a second governance user approves. Every version and this {verb} stay in the model&apos;s history. Say what you checked (the comparison with the champion, the gates).
      </p>
      <Field id="promotion-reason" label="Reason" errors={propose.fieldErrors.reason}>
        <textarea id="promotion-reason" name="reason" rows={3} maxLength={2000} required autoFocus aria-invalid={propose.fieldErrors.reason ? true : undefined} className={TEXTAREA} />
      </Field>
      {failingGates.length > 0 ? (
        <Field
          id="gauntlet-override"
          label={`Gauntlet override: the ${failingGates.join(" and ")} gate failed`}
          errors={propose.fieldErrors.gauntletOverride}
        >
          <textarea id="gauntlet-override" name="gauntletOverride" rows={3} maxLength={2000} required aria-invalid={propose.fieldErrors.gauntletOverride ? true : undefined} className={TEXTAREA} />
        </Field>
      ) : null}
    </FormDialog>
  );
}

/** A second governance user approves (the version becomes champion) or rejects a waiting proposal, with a reason. */
export function DecidePromotion({ promotionId, label }: { promotionId: string; label: string }) {
  return (
    <DecisionForm
      action={decideModelPromotionAction}
      subject={{ promotionId }}
      approvedMessage={() => `Approved: ${label} is the champion`}
      approveLabel={`Approve: make ${label} champion`}
      reasonLabel="Reason for your decision"
      fieldId="promotion-decision-reason"
      className="mt-3 space-y-3"
    />
  );
}
