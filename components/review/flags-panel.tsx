import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { FLAG_MEANINGS } from "@/lib/gating/reasons";
import { FlagBadge } from "./codes";
import { Num } from "./record-values";

/** The fragility score against θ and each flag that is set, with what it means. */
export function FlagsPanel({ p }: { p: GatingProvenance }) {
  return (
    <Panel title="Flags and fragility">
      <dl className="mb-3">
        <Row label="fragility score / θ">
          <Num value={p.fragilityScore} /> / <Num value={p.theta} />
        </Row>
        <Row label="canary matches">{p.canaryMatches.length === 0 ? "none" : p.canaryMatches.join(", ")}</Row>
      </dl>
      {p.flags.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No flag is set.</p>
      ) : (
        <ul className="space-y-1.5">
          {p.flags.map((f) => (
            <li key={f} className="text-sm">
              <FlagBadge code={f} /> <span className="text-zinc-600 dark:text-zinc-400">{FLAG_MEANINGS[f]}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
