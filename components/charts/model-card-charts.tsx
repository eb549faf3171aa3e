"use client";

import { CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";

const AXIS = { fontSize: 11, fill: "#71717a" };
const pct = (x: number) => +(x * 100).toFixed(1);

/** A card's reliability diagram: observed rate against mean predicted, per bin, beside the diagonal of perfect calibration. */
export function CardReliabilityChart({ bins, name }: { bins: { meanPredicted: number; observedRate: number; count: number }[]; name: string }) {
  const data = bins.map((b) => ({ predicted: pct(b.meanPredicted), observed: pct(b.observedRate), count: b.count, ideal: pct(b.meanPredicted) }));
  // The axes end just above the largest probability, so a rare outcome's bins are not crowded into a corner.
  const top = Math.min(100, Math.max(10, Math.ceil(Math.max(...data.map((d) => Math.max(d.predicted, d.observed))) / 10) * 10));
  const summary = bins.map((b) => `predicted ${pct(b.meanPredicted)} %, observed ${pct(b.observedRate)} % of ${b.count}`).join("; ");
  return (
    <figure role="img" aria-label={`Reliability of ${name}: ${summary}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 256 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="predicted" type="number" domain={[0, top]} unit=" %" tick={AXIS} stroke="#a1a1aa" label={{ value: "mean predicted", ...AXIS, position: "insideBottom", offset: -10 }} />
          <YAxis type="number" domain={[0, top]} unit=" %" tick={AXIS} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" />
          <Line dataKey="ideal" name="perfect calibration" stroke="#a1a1aa" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line dataKey="observed" name="observed rate" stroke="#d97706" strokeWidth={2} dot isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The gains (capture) curve: share of positives captured against the share of records taken by score, beside random. */
export function GainsChart({ points, name }: { points: { fraction: number; capture: number }[]; name: string }) {
  const data = [{ fraction: 0, capture: 0, random: 0 }, ...points.map((p) => ({ fraction: pct(p.fraction), capture: pct(p.capture), random: pct(p.fraction) }))];
  return (
    <figure role="img" aria-label={`Gains of ${name}: ${points.map((p) => `top ${pct(p.fraction)} % captures ${pct(p.capture)} %`).join("; ")}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 256 }}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="fraction" type="number" domain={[0, 100]} unit=" %" tick={AXIS} stroke="#a1a1aa" label={{ value: "records taken, by score", ...AXIS, position: "insideBottom", offset: -10 }} />
          <YAxis domain={[0, 100]} unit=" %" tick={AXIS} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" />
          <Line dataKey="random" name="random" stroke="#a1a1aa" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line dataKey="capture" name="positives captured" stroke="#4f46e5" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Prequential (forward-month) curves: AUC and Brier by month after the cutoff. */
export function PrequentialChart({ rows, name }: { rows: { month: string; auc: number | null; brier: number | null }[]; name: string }) {
  return (
    <figure role="img" aria-label={`Prequential curves of ${name}: ${rows.map((r) => `${r.month} AUC ${r.auc ?? "missing"}, Brier ${r.brier ?? "missing"}`).join("; ")}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 256 }}>
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="month" tick={AXIS} stroke="#a1a1aa" />
          <YAxis yAxisId="auc" domain={[0.4, 1]} tick={AXIS} stroke="#a1a1aa" width={44} />
          <YAxis yAxisId="brier" orientation="right" domain={[0, "auto"]} tick={AXIS} stroke="#a1a1aa" width={44} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" />
          <Line yAxisId="auc" dataKey="auc" name="AUC (left)" stroke="#4f46e5" strokeWidth={2} connectNulls={false} isAnimationActive={false} />
          <Line yAxisId="brier" dataKey="brier" name="Brier (right)" stroke="#d97706" strokeWidth={2} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The shift grid: AUC as the cutoff moves earlier; it must not improve. */
export function ShiftGridChart({ rows, name, unit = "days" }: { rows: { shiftDays: number; auc: number }[]; name: string; unit?: string }) {
  return (
    <figure role="img" aria-label={`Shift grid of ${name}: ${rows.map((r) => `${r.shiftDays} ${unit} earlier, AUC ${r.auc}`).join("; ")}`} className="h-48 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 420, height: 192 }}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="2 3" stroke="#d4d4d8" />
          <XAxis dataKey="shiftDays" type="number" tick={AXIS} stroke="#a1a1aa" label={{ value: `cutoff moved earlier (${unit})`, ...AXIS, position: "insideBottom", offset: -10 }} />
          <YAxis domain={["auto", "auto"]} tick={AXIS} tickFormatter={(v: number) => v.toFixed(3)} stroke="#a1a1aa" width={52} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Scatter dataKey="auc" name="AUC" fill="#4f46e5" isAnimationActive={false} />
          <Line dataKey="auc" name="AUC" stroke="#4f46e5" dot={false} isAnimationActive={false} legendType="none" />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
