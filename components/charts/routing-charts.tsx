"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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

export type DriftSeries = { variable: string; days: { day: string; psi: number | null }[] };

const DRIFT_COLORS = ["#4f46e5", "#d97706", "#059669", "#db2777", "#0891b2", "#7c3aed"];

/** Each variable's PSI by day against the reference data, with the 0.1 and 0.25 thresholds. */
export function DriftPsiChart({ series, moderate, significant }: { series: DriftSeries[]; moderate: number; significant: number }) {
  const days = series[0]?.days.map((d) => d.day) ?? [];
  const data = days.map((day, i) => Object.fromEntries([["day", day], ...series.map((s) => [s.variable, s.days[i]?.psi === null || s.days[i]?.psi === undefined ? null : +s.days[i]!.psi!.toFixed(4)])]));
  const judged = series.flatMap((s) => s.days.filter((d) => d.psi !== null).map((d) => `${s.variable} ${d.day}: ${d.psi!.toFixed(3)}`));
  return (
    <figure role="img" aria-label={`PSI by day against the reference data. ${judged.join("; ") || "No day had enough results to judge."}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 256 }}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" />
          <YAxis tick={{ fontSize: 11, fill: "#71717a" }} stroke="#a1a1aa" width={52} domain={[0, (max: number) => Math.max(0.3, Math.ceil(max * 10) / 10)]} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={moderate} stroke="#f59e0b" strokeDasharray="4 3" label={{ value: `moderate ${moderate}`, fontSize: 10, fill: "#b45309", position: "insideTopLeft" }} />
          <ReferenceLine y={significant} stroke="#dc2626" strokeDasharray="4 3" label={{ value: `significant ${significant}`, fontSize: 10, fill: "#b91c1c", position: "insideTopLeft" }} />
          {series.map((s, i) => (
            <Line key={s.variable} dataKey={s.variable} stroke={DRIFT_COLORS[i % DRIFT_COLORS.length]} strokeWidth={s.variable === "pModel" ? 2.5 : 1.5} dot isAnimationActive={false} connectNulls={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
