"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type RoutingDayPoint = { day: string; auditShare: number | null; fragileShare: number | null; band: [number, number] | null };

const pct = (x: number | null) => (x === null ? null : +(x * 100).toFixed(2));

/** Audit and fragile shares by day, the fragile share against its expected rate's 95 % band. */
export function RoutingDailyChart({ points }: { points: RoutingDayPoint[] }) {
  const data = points.map((p) => ({ day: p.day, audit: pct(p.auditShare), fragile: pct(p.fragileShare), band: p.band ? [pct(p.band[0]), pct(p.band[1])] : null }));
  const summary = points.filter((p) => p.auditShare !== null).map((p) => `${p.day}: audit ${pct(p.auditShare)} %, fragile ${pct(p.fragileShare)} %`).join("; ");
  return (
    <figure role="img" aria-label={`Audit and fragile shares by day. ${summary || "Nothing gated in this window."}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 256 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis unit=" %" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="band" name="fragile: expected 95 % band" fill="#fde68a" stroke="none" isAnimationActive={false} connectNulls={false} />
          <Line dataKey="fragile" name="fragile share" stroke="#d97706" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
          <Line dataKey="audit" name="audit share" stroke="#4f46e5" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The uncertainty baseline's risk–coverage curve with the policy's operating point on it (gating spec §11). */
export function RiskCoverageChart({ curve, point }: { curve: { coverage: number; risk: number }[]; point: { coverage: number; risk: number } }) {
  const data = curve.map((c) => ({ coverage: pct(c.coverage), risk: pct(c.risk) }));
  return (
    <figure role="img" aria-label={`Risk against coverage of the least-confident-first baseline; the policy releases ${pct(point.coverage)} % at ${pct(point.risk)} % error.`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 520, height: 256 }}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="coverage" type="number" domain={[0, 100]} unit=" %" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" label={{ value: "released (coverage)", fontSize: 11, fill: "#71717a", position: "insideBottom", offset: -10 }} />
          <YAxis dataKey="risk" unit=" %" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Line dataKey="risk" name="baseline: error among released" stroke="#71717a" strokeWidth={2} dot={false} isAnimationActive={false} />
          <ReferenceDot x={pct(point.coverage)!} y={pct(point.risk)!} r={6} fill="#4f46e5" stroke="white" label={{ value: "policy", fontSize: 11, position: "top" }} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
