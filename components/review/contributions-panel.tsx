import { LazyContributionsChart } from "@/components/charts/lazy-charts";
import { Missing } from "@/components/layout/missing";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { Num } from "./record-values";

/** The scorer's logit contributions per channel, before and after the caps. */
export function ContributionsPanel({ p }: { p: GatingProvenance }) {
  const c = p.contributions;
  return (
    <Panel title="Logit contributions before and after caps">
      {c ? (
        <>
          <LazyContributionsChart rows={(c.terms ?? Object.keys(p.spend)).map((channel, j) => ({ channel, raw: c.raw[j] ?? 0, capped: c.final[j] ?? 0 }))} />
          <dl className="mt-2">
            <Row label="base · non-channel">
              <Num value={c.base} /> · <Num value={c.nonChannel} />
            </Row>
            <Row label="caps triggered · top-k scaled">
              {c.capsTriggered ? "yes" : "no"} · {c.topKScaled ? `yes (×${c.capsScaling.toFixed(3)})` : "no"}
            </Row>
            <Row label="p after caps">
              <Num value={c.pCapped} />
            </Row>
          </dl>
        </>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The upstream scorer sent no contributions for this record (<Missing />).
        </p>
      )}
    </Panel>
  );
}
