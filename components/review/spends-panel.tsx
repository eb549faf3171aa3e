import { Missing } from "@/components/layout/missing";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";

/** The raw spends as received (a missing channel stays *missing*, never 0). */
export function SpendsPanel({ p }: { p: GatingProvenance }) {
  return (
    <Panel title="Raw spends (before any imputation)">
      <dl>
        {Object.entries(p.spend).map(([channel, value]) => (
          <Row key={channel} label={channel}>
            {value === null ? <Missing /> : value.toLocaleString("en-US")}
          </Row>
        ))}
      </dl>
    </Panel>
  );
}
