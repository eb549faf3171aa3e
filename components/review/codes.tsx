/**
 * One badge for a reason code and one for a flag, the same on every page (ui.md), with
 * the one-line explanation on hover and for screen readers.
 */
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { FLAG_MEANINGS, REASON_EXPLANATIONS, type FlagCode, type ReasonCode } from "@/lib/gating/reasons";

const REASON_TONE: Partial<Record<ReasonCode, BadgeTone>> = {
  CANARY: "red",
  BATCH_HOLD: "violet",
  SINGLETON_FRAGILE: "orange",
};

export function ReasonBadge({ code }: { code: ReasonCode }) {
  return (
    <Badge tone={REASON_TONE[code] ?? "amber"} title={REASON_EXPLANATIONS[code]} className="font-mono">
      {code}
    </Badge>
  );
}

export function FlagBadge({ code }: { code: FlagCode }) {
  return (
    <Badge title={FLAG_MEANINGS[code]} className="font-mono">
      {code}
    </Badge>
  );
}
