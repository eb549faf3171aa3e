import { Badge } from "@/components/ui/badge";
import type { RecordOutcome } from "@/lib/data/decisions";
import { labelName } from "@/lib/validations/decision-labels";

const VERBS: Record<RecordOutcome["action"], string> = { confirm: "Confirmed", override: "Overridden to", amend: "Amended to" };

/** A human outcome as one badge: "Confirmed Transported", "Overridden to Not transported", "Amended to …". */
export function OutcomeBadge({ action, label }: { action: RecordOutcome["action"]; label: boolean }) {
  return (
    <Badge tone={action === "confirm" ? "green" : action === "override" ? "red" : "violet"}>
      <span className="whitespace-nowrap">
        {VERBS[action]} {labelName(label)}
      </span>
    </Badge>
  );
}
