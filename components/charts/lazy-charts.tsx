"use client";

import dynamic from "next/dynamic";
import { useEffect, useState, type ComponentType } from "react";
import { IntervalBar } from "./interval-bar";

type IntervalProps = { p10: number; p50: number; p90: number; threshold: number };

/**
 * The record page's Recharts charts load after the page is interactive, so they add
 * nothing to its first-load JavaScript. Until then the interval is the server-drawn SVG
 * bar (the queue's drawing, with labels) and the contributions a placeholder of their size.
 */
export function RecordInterval(props: IntervalProps) {
  const [Chart, setChart] = useState<ComponentType<IntervalProps> | null>(null);
  useEffect(() => {
    let live = true;
    void import("./interval-chart").then((m) => {
      if (live) setChart(() => m.IntervalChart);
    });
    return () => {
      live = false;
    };
  }, []);
  if (Chart) return <Chart {...props} />;
  return (
    <div className="flex h-24 items-center">
      <IntervalBar {...props} width={420} height={40} labels />
    </div>
  );
}

export const LazyContributionsChart = dynamic(() => import("./contributions-chart").then((m) => m.ContributionsChart), {
  ssr: false,
  loading: () => <div className="h-56 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyUpliftChart = dynamic(() => import("./uplift-chart").then((m) => m.UpliftChart), {
  ssr: false,
  loading: () => <div className="h-56 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyOverrideTrendChart = dynamic(() => import("./override-trend-chart").then((m) => m.OverrideTrendChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyRoutingDailyChart = dynamic(() => import("./routing-charts").then((m) => m.RoutingDailyChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyRiskCoverageChart = dynamic(() => import("./routing-charts").then((m) => m.RiskCoverageChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyReliabilityChart = dynamic(() => import("./reliability-chart").then((m) => m.ReliabilityChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyDriftPsiChart = dynamic(() => import("./routing-charts").then((m) => m.DriftPsiChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyStageCoverageChart = dynamic(() => import("./event-pipeline-charts").then((m) => m.StageCoverageChart), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

export const LazyAttributionDriftChart = dynamic(() => import("./event-pipeline-charts").then((m) => m.AttributionDriftChart), {
  ssr: false,
  loading: () => <div className="h-72 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden />,
});

const chartLoading = (height: string) =>
  function ChartLoading() {
    return <div className={`${height} w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800`} aria-hidden />;
  };

export const LazyCardReliabilityChart = dynamic(() => import("./model-card-charts").then((m) => m.CardReliabilityChart), { ssr: false, loading: chartLoading("h-64") });
export const LazyGainsChart = dynamic(() => import("./model-card-charts").then((m) => m.GainsChart), { ssr: false, loading: chartLoading("h-64") });
export const LazyPrequentialChart = dynamic(() => import("./model-card-charts").then((m) => m.PrequentialChart), { ssr: false, loading: chartLoading("h-64") });
export const LazyShiftGridChart = dynamic(() => import("./model-card-charts").then((m) => m.ShiftGridChart), { ssr: false, loading: chartLoading("h-48") });
