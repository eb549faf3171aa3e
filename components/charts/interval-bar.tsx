/**
 * The p10/p50/p90 interval (ui.md): a bar from p10 to p90 with a tick at p50 and a line at
 * the decision threshold, on a 0–1 axis. Plain SVG, rendered on the server or the client;
 * the queue draws it inline, the record page larger with labels. The threshold is the one
 * of the policy snapshot that gated the record; without it no line is drawn (never a guess).
 */
export function IntervalBar({
  p10,
  p50,
  p90,
  threshold,
  width = 120,
  height = 14,
  labels = false,
}: {
  p10: number;
  p50: number;
  p90: number;
  threshold?: number;
  width?: number;
  height?: number;
  labels?: boolean;
}) {
  const pad = labels ? 8 : 2;
  const axis = height - (labels ? 14 : 0);
  const x = (p: number) => pad + p * (width - 2 * pad);
  const mid = axis / 2;
  const label = `p10 ${p10.toFixed(3)}, p50 ${p50.toFixed(3)}, p90 ${p90.toFixed(3)}${threshold === undefined ? "" : `; decision threshold ${threshold}`}`;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="overflow-visible">
      <title>{label}</title>
      <line x1={x(0)} x2={x(1)} y1={mid} y2={mid} className="stroke-zinc-200 dark:stroke-zinc-700" strokeWidth={1} />
      {threshold === undefined ? null : (
        <line x1={x(threshold)} x2={x(threshold)} y1={1} y2={axis - 1} className="stroke-zinc-400 dark:stroke-zinc-500" strokeWidth={1} strokeDasharray="2 2" />
      )}
      <rect x={x(p10)} y={mid - axis / 4} width={Math.max(x(p90) - x(p10), 1.5)} height={axis / 2} rx={2} className="fill-sky-300/70 dark:fill-sky-700/70" />
      <line x1={x(p50)} x2={x(p50)} y1={mid - axis / 2.5} y2={mid + axis / 2.5} className="stroke-sky-800 dark:stroke-sky-200" strokeWidth={2} />
      {labels ? (
        <g className="fill-zinc-500 text-[10px] dark:fill-zinc-400">
          <text x={x(0)} y={height - 2} textAnchor="start">0</text>
          {threshold === undefined || threshold < 0.08 || threshold > 0.92 ? null : (
            <text x={x(threshold)} y={height - 2} textAnchor="middle">
              {threshold}
            </text>
          )}
          <text x={x(1)} y={height - 2} textAnchor="end">1</text>
        </g>
      ) : null}
    </svg>
  );
}
