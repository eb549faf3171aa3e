"use client";

import { Bar, BarChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from "recharts";

/**
 * The record page's interval (ui.md): the same drawing as the queue's inline bar — a bar
 * from p10 to p90, a tick at p50, a dashed line at the decision threshold — larger, on a
 * labelled 0–1 axis, drawn with Recharts.
 */
export function IntervalChart({ p10, p50, p90, threshold }: { p10: number; p50: number; p90: number; threshold: number }) {
  const label = `p10 ${p10.toFixed(3)}, p50 ${p50.toFixed(3)}, p90 ${p90.toFixed(3)}; decision threshold ${threshold}`;
  const data = [{ name: "interval", lead: p10, span: Math.max(p90 - p10, 0.002) }];
  return (
    <figure role="img" aria-label={label} className="h-24 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 96 }}>
        <BarChart data={data} layout="vertical" margin={{ top: 18, right: 32, bottom: 0, left: 32 }}>
          <XAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" className="text-zinc-500" />
          <YAxis type="category" dataKey="name" hide />
          <Bar dataKey="lead" stackId="i" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="span" stackId="i" fill="#f59e0b" fillOpacity={0.45} stroke="#b45309" barSize={18} radius={3} isAnimationActive={false} />
          <ReferenceLine x={threshold} stroke="#52525b" strokeDasharray="4 3" label={{ value: `threshold ${threshold}`, position: Math.abs(p50 - threshold) < 0.12 ? "insideTopRight" : "top", fontSize: 11, fill: "#71717a" }} />
          <ReferenceLine x={p50} stroke="#0f172a" strokeWidth={3} label={{ value: `p50 ${p50.toFixed(3)}`, position: "top", fontSize: 11, fill: "#3f3f46" }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
