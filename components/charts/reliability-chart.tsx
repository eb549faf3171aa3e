"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ReliabilityPoint = { label: string; observed: number; meanP50: number; meanP10: number; meanP90: number; labelled: number };

const pct = (x: number) => +(x * 100).toFixed(1);

/** A slice's calibration: per p50 decile, the observed positive rate against the mean p50 and the mean [p10, p90] band. */
export function ReliabilityChart({ points, name }: { points: ReliabilityPoint[]; name: string }) {
  const data = points.map((p) => ({ label: p.label, observed: pct(p.observed), p50: pct(p.meanP50), band: [pct(p.meanP10), pct(p.meanP90)], labelled: p.labelled }));
  const summary = points.map((p) => `${p.label}: observed ${pct(p.observed)} % of ${p.labelled}, interval ${pct(p.meanP10)}–${pct(p.meanP90)} %`).join("; ");
  return (
    <figure role="img" aria-label={`Calibration of ${name}. ${summary || "No labelled record."}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 560, height: 256 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" label={{ value: "p50 decile", fontSize: 11, fill: "#71717a", position: "insideBottom", offset: -10 }} />
          <YAxis unit=" %" domain={[0, 100]} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" formatter={(value: string) => <span className="text-zinc-600 dark:text-zinc-300">{value}</span>} />
          <Area dataKey="band" name="mean [p10, p90]" fill="#c7d2fe" stroke="none" isAnimationActive={false} />
          <Line dataKey="p50" name="mean p50" stroke="#4f46e5" strokeDasharray="4 3" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          <Line dataKey="observed" name="observed positive rate" stroke="#d97706" strokeWidth={2} dot isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
