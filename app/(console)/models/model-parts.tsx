/** What the model pages share: the status and gate badges, the task's words, a metric's change. */
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { CardStatus, GateResult, Task } from "@/lib/model-cards/card";

const STATUS_TONES: Record<CardStatus, BadgeTone> = { champion: "green", candidate: "indigo", retired: "neutral" };

export function CardStatusBadge({ status }: { status: CardStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{status}</Badge>;
}

/** PASS green, FAIL red, not applicable grey; no gauntlet at all reads as missing. */
export function GateBadge({ result }: { result: GateResult | null }) {
  if (result === null) return <span className="text-xs text-zinc-400 italic">no gauntlet</span>;
  if (result === "NOT_APPLICABLE") return <Badge tone="neutral">n/a</Badge>;
  return <Badge tone={result === "PASS" ? "green" : "red"}>{result}</Badge>;
}

export const TASK_LABELS: Record<Task, string> = { binary_classifier: "binary classifier", count_regressor: "count regressor" };

/** "v1.2.0" for a number-like version; a named one ("gbdt-ens-7c03…", "2024-12-31") as it is. */
export const versionLabel = (version: string) => (/^\d+(\.\d+)*$/.test(version) ? `v${version}` : version);

/** 0.7095 for a probability-like metric, 0.9934 for a deviance: four decimals either way. */
export const metric = (value: number) => value.toFixed(4);

/** The change since the previous version, worded and coloured by whether it is better. */
export function MetricChange({ change, higherIsBetter, version }: { change: number; higherIsBetter: boolean; version: string }) {
  if (Math.abs(change) < 5e-5) return <span className="text-xs text-zinc-500">= {versionLabel(version)}</span>;
  const better = change > 0 === higherIsBetter;
  return (
    <span className={`text-xs tabular ${better ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`} title={`${better ? "better" : "worse"} than version ${version}`}>
      {change > 0 ? "▲" : "▼"} {change > 0 ? "+" : "−"}
      {Math.abs(change).toFixed(4)} vs {versionLabel(version)}
    </span>
  );
}
