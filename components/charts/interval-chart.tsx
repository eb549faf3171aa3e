"use client";

import { Bar, BarChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from "recharts";

/**
 * The record page's interval (ui.md): the same drawing as the queue's inline bar — a bar
 * from p10 to p90, a tick at p50, a dashed line at the decision threshold — larger, on a
 * labelled 0–1 axis, drawn with Recharts. The values are named in a legend above the
 * plot, not on the lines, so p50 and the threshold never collide when they are close.
 */
export function IntervalChart({ p10, p50, p90, threshold }: { p10: number; p50: number; p90: number; threshold: number }) {
  const label = `p10 ${p10.toFixed(3)}, p50 ${p50.toFixed(3)}, p90 ${p90.toFixed(3)}; decision threshold ${threshold}`;
  const data = [{ name: "interval", lead: p10, span: Math.max(p90 - p10, 0.002) }];
  return (
    <figure role="img" aria-label={label} className="w-full">
      <figcaption aria-hidden className="tabular flex flex-wrap gap-x-4 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="whitespace-nowrap">
          <span className="mr-1 inline-block h-3 w-1 translate-y-0.5 bg-slate-900 dark:bg-slate-200" />
          p50 {p50.toFixed(3)}
        </span>
        <span className="whitespace-nowrap">
          <span className="mr-1 inline-block h-3 w-2.5 translate-y-0.5 rounded-sm border border-amber-700 bg-amber-400/45" />
          p10–p90 {p10.toFixed(3)}–{p90.toFixed(3)}
        </span>
        <span className="whitespace-nowrap">
          <span className="mr-1 inline-block h-3 w-0 translate-y-0.5 border-l border-dashed border-zinc-600" />
          threshold {threshold}
        </span>
      </figcaption>
      <div className="h-20 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 96 }}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 16 }}>
          <XAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" className="text-zinc-500" />
          <YAxis type="category" dataKey="name" hide />
          <Bar dataKey="lead" stackId="i" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="span" stackId="i" fill="#f59e0b" fillOpacity={0.45} stroke="#b45309" barSize={18} radius={3} isAnimationActive={false} />
          <ReferenceLine x={threshold} stroke="#52525b" strokeDasharray="4 3" />
          <ReferenceLine x={p50} stroke="#0f172a" strokeWidth={3} />
        </BarChart>
      </ResponsiveContainer>
      </div>
    </figure>
  );
}
