"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type OverrideTrendPoint = { week: string; decisions: number; overrides: number; rate: number | null };

/** Decisions and overrides per week (bars) and the override rate against the threshold (line, right axis). */
export function OverrideTrendChart({ points, threshold }: { points: OverrideTrendPoint[]; threshold: number }) {
  const data = points.map((p) => ({ ...p, ratePct: p.rate === null ? null : +(p.rate * 100).toFixed(1) }));
  const summary = points.map((p) => `${p.week}: ${p.overrides} of ${p.decisions}`).join("; ");
  return (
    <figure role="img" aria-label={`Overrides of decisions by week. ${summary}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 256 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="week" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={40} />
          <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} unit=" %" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={48} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="decisions" name="decisions" fill="#d4d4d8" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="overrides" name="overrides" fill="#f59e0b" isAnimationActive={false} />
          <Line yAxisId="pct" dataKey="ratePct" name="override rate (%)" stroke="#4f46e5" strokeWidth={2} dot connectNulls={false} isAnimationActive={false} />
          <ReferenceLine yAxisId="pct" y={threshold * 100} stroke="#dc2626" strokeDasharray="4 3" label={{ value: `threshold ${Math.round(threshold * 100)} %`, fontSize: 11, fill: "#dc2626", position: "insideTopRight" }} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
