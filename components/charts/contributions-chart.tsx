"use client";

import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * Per-channel logit contributions before and after the caps (gating spec §4.2): raw beside
 * capped, so an analyst sees which channel the caps cut and by how much.
 */
export function ContributionsChart({ rows }: { rows: { channel: string; raw: number; capped: number }[] }) {
  const label = rows.map((r) => `${r.channel}: raw ${r.raw.toFixed(3)}, capped ${r.capped.toFixed(3)}`).join("; ");
  return (
    <figure role="img" aria-label={`Logit contributions before and after caps. ${label}`} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 224 }}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 8 }} barGap={1}>
          <CartesianGrid horizontal={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis type="number" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis type="category" dataKey="channel" width={92} tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <ReferenceLine x={0} stroke="#71717a" />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(3) : String(v))} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="raw" name="raw" fill="#a1a1aa" barSize={9} isAnimationActive={false} />
          <Bar dataKey="capped" name="after caps" fill="#6366f1" barSize={9} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
