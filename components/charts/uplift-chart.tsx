"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Actual sales against the baseline per report of an event (the uplift is the gap). */
export function UpliftChart({ rows }: { rows: { store: string; baseline: number | null; actual: number | null }[] }) {
  const label = rows.map((r) => `${r.store}: actual ${r.actual ?? "missing"}, baseline ${r.baseline ?? "missing"}`).join("; ");
  return (
    <figure role="img" aria-label={`Actual against baseline by store. ${label}`} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 520, height: 224 }}>
        <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="store" tick={{ fontSize: 10, fill: "#71717a" }} stroke="#a1a1aa" interval={0} angle={-30} textAnchor="end" height={48} />
          <YAxis tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={56} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="baseline" name="baseline" fill="#a1a1aa" isAnimationActive={false} />
          <Bar dataKey="actual" name="actual" fill="#6366f1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
