import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import type { GatingProvenance } from "@/lib/gating";
import { Id, Num } from "./record-values";

/** The record's cluster and the prior an analyst reads beside p50. */
export function ClusterPanel({ p }: { p: GatingProvenance }) {
  const c = p.cluster;
  return (
    <Panel title="Cluster">
      <dl>
        <Row label="cluster">
          <Id>{c.clusterId}</Id>
        </Row>
        <Row label="reference rows (N)">{c.n.toLocaleString("en-US")}</Row>
        <Row label="statistics from">{c.statisticsSource === "cluster" ? "this cluster" : `global${c.small ? " (small cluster)" : ""}`}</Row>
        <Row label="μ cluster · μ blend">
          <Num value={c.muCluster} /> · <Num value={c.muBlend} />
        </Row>
      </dl>
    </Panel>
  );
}
