"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CAUSE_CATEGORIES, CAUSE_CATEGORY_LABELS, type CauseCategory } from "@/lib/mrs/taxonomy";

export type StageCoveragePoint = { day: string; detection: number | null; clustering: number | null; attribution: number | null };
export type DriftPoint = { day: string; meanConfidence: number | null; mix: Partial<Record<CauseCategory, number>> };

const pct = (x: number | null) => (x === null ? null : +(x * 100).toFixed(2));

const CAUSE_COLOURS: Record<CauseCategory, string> = {
  data_error: "#dc2626",
  marketing_misattribution: "#7c3aed",
  promotion: "#16a34a",
  competitor_stockout: "#ea580c",
  social_viral: "#db2777",
  operational_store_issue: "#ca8a04",
  external_disruption: "#0284c7",
  unknown: "#a1a1aa",
};

/** Each stage's share of the day's reports within its SLO, against the 95 % target. */
export function StageCoverageChart({ points }: { points: StageCoveragePoint[] }) {
  const data = points.map((p) => ({ day: p.day, detection: pct(p.detection), clustering: pct(p.clustering), attribution: pct(p.attribution) }));
  const summary = points.map((p) => `${p.day}: detection ${pct(p.detection)} %, clustering ${pct(p.clustering)} %, attribution ${pct(p.attribution)} %`).join("; ");
  return (
    <figure role="img" aria-label={`Reports within each stage's SLO by day, against the 95 % target. ${summary || "No report in this window."}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 256 }}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis unit=" %" domain={[0, 100]} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={95} stroke="#71717a" strokeDasharray="4 4" label={{ value: "target 95 %", fontSize: 11, fill: "#71717a", position: "insideBottomRight" }} />
          <Line dataKey="detection" name="detection ≤ 30 min" stroke="#4f46e5" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
          <Line dataKey="clustering" name="clustering ≤ 30 min" stroke="#0891b2" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
          <Line dataKey="attribution" name="attribution ≤ 4 h" stroke="#d97706" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The machine's cause mix per day (stacked proposals) with the mean confidence of the confident ones. */
export function AttributionDriftChart({ points }: { points: DriftPoint[] }) {
  const present = CAUSE_CATEGORIES.filter((c) => points.some((p) => (p.mix[c] ?? 0) > 0));
  const data = points.map((p) => ({ day: p.day, confidence: p.meanConfidence === null ? null : +p.meanConfidence.toFixed(3), ...Object.fromEntries(present.map((c) => [c, p.mix[c] ?? 0])) }));
  const summary = points
    .map((p) => `${p.day}: ${present.map((c) => `${CAUSE_CATEGORY_LABELS[c].label} ${p.mix[c] ?? 0}`).join(", ")}; mean confidence ${p.meanConfidence?.toFixed(3) ?? "missing"}`)
    .join("; ");
  return (
    <figure role="img" aria-label={`Attribution proposals by cause and mean confidence by day. ${summary || "No proposal in this window."}`} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 288 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={40} />
          <YAxis yAxisId="c" orientation="right" domain={[0, 1]} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={40} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {present.map((c) => (
            <Bar key={c} yAxisId="n" dataKey={c} name={CAUSE_CATEGORY_LABELS[c].label} stackId="mix" fill={CAUSE_COLOURS[c]} isAnimationActive={false} maxBarSize={48} />
          ))}
          <Line yAxisId="c" dataKey="confidence" name="mean confidence" stroke="#18181b" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
