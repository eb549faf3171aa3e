import { Missing } from "@/components/layout/missing";

/** A probability or score with `d` decimals, or *missing*. */
export function Num({ value, digits = 3 }: { value: number | null | undefined; digits?: number }) {
  return value === null || value === undefined ? <Missing /> : <>{value.toFixed(digits)}</>;
}

/** A probability as a percentage with one decimal (`12.3 %`), or *missing*. */
export function Percent({ value }: { value: number | null | undefined }) {
  return value === null || value === undefined ? <Missing /> : <>{(value * 100).toFixed(1)} %</>;
}

/** An id in monospace that never wraps (ids are read and copied whole). */
export function Id({ children, className = "" }: { children: string; className?: string }) {
  return <span className={`font-mono text-xs whitespace-nowrap ${className}`}>{children}</span>;
}
