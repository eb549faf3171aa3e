import type { Metadata } from "next";
import Link from "next/link";
import { LazyReliabilityChart } from "@/components/charts/lazy-charts";
import { CsvLink } from "@/components/data-table/states";
import { BadWindow, Fact, FigureSection, NUM, pct, WindowForm } from "@/components/governance/figures";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { sliceKpis, type SliceKpis, type SliceRow } from "@/lib/data/slices";
import { BadRequestError } from "@/lib/errors";
import { FLAG_MEANINGS, type FlagCode } from "@/lib/gating/reasons";
import { MIN_BUCKET_LABELLED, parseSlice, SLICE_DIMENSION_LABELS, SLICE_DIMENSIONS, SPEC_FLAGS, sliceName, sliceParam, type SliceRef } from "@/lib/governance/slices";
import { DAY_WINDOW_CHOICES, parseDays } from "@/lib/governance/window";

export const metadata: Metadata = { title: "Slice KPIs" };

const LINK = "text-sky-700 hover:underline dark:text-sky-400";
const count = (n: number) => n.toLocaleString("en-US");

function Coverage({ row }: { row: SliceRow }) {
  const { covered, judged } = row.figures.coverage;
  if (judged === 0) return <span className="text-zinc-400" title={`no p50 decile has ${MIN_BUCKET_LABELLED} labelled records yet`}>—</span>;
  return (
    <Badge tone={covered === judged ? "green" : covered / judged >= 0.5 ? "amber" : "red"} className="whitespace-nowrap" title={`${covered} of ${judged} p50 deciles with ≥ ${MIN_BUCKET_LABELLED} labelled records hold their observed rate within the mean [p10, p90]`}>
      {covered} of {judged}
    </Badge>
  );
}

/** One dimension's slices under the all-records baseline, each row linking to its calibration. */
function SliceTable({ title, rows, baseline, days, selected, canSeeQueue }: { title: string; rows: SliceRow[]; baseline: SliceRow | undefined; days: number; selected: SliceRef; canSeeQueue: boolean }) {
  const line = (r: SliceRow, isBaseline = false) => {
    const ref = { dimension: r.dimension, key: r.key } as SliceRef;
    const isSelected = selected.dimension === r.dimension && selected.key === r.key;
    const flag = r.dimension === "flag" ? (r.key as FlagCode) : null;
    return (
      <tr key={`${r.dimension}:${r.key}`} data-testid={isBaseline ? undefined : `slice-${sliceParam(ref)}`} className={isBaseline ? "bg-zinc-50 text-zinc-600 dark:bg-zinc-900/60 dark:text-zinc-400" : isSelected ? "bg-sky-50 dark:bg-sky-950/40" : undefined}>
        <Td>
          {isBaseline ? (
            <span className="font-medium">All records (baseline)</span>
          ) : (
            <span className="flex flex-wrap items-center gap-2">
              <Link prefetch={false} className={`${LINK} font-mono`} href={`/governance/slices?days=${days}&slice=${encodeURIComponent(sliceParam(ref))}#calibration`} aria-current={isSelected ? "true" : undefined} title={flag ? FLAG_MEANINGS[flag] : undefined}>
                {r.key}
              </Link>
              {flag && (SPEC_FLAGS as readonly string[]).includes(flag) ? <Badge tone="neutral">spec</Badge> : null}
            </span>
          )}
        </Td>
        <Td className={NUM}>{count(r.records)}</Td>
        <Td className={NUM}>{pct(r.figures.auditRate)}</Td>
        <Td className={NUM}>
          {pct(r.figures.overrideRate)} <span className="text-xs text-zinc-500">of {count(r.decided)}</span>
        </Td>
        <Td className={NUM}>
          {count(r.labelled)}
          {r.disputed > 0 ? <span className="text-xs text-zinc-500"> (+{r.disputed} disputed)</span> : null}
        </Td>
        <Td className={NUM}>{pct(r.figures.fpRate)}</Td>
        <Td className={NUM}>{pct(r.figures.fnRate)}</Td>
        <Td className={NUM}>
          <Coverage row={r} />
        </Td>
        {title === SLICE_DIMENSION_LABELS.flag.title ? (
          <Td className="whitespace-nowrap text-xs">
            {flag && canSeeQueue ? (
              <>
                <Link prefetch={false} className={LINK} href={`/queue?flag=${flag}`}>
                  open
                </Link>
                {" · "}
                <Link prefetch={false} className={LINK} href={`/queue?status=decided&flag=${flag}`}>
                  decided
                </Link>
              </>
            ) : null}
          </Td>
        ) : null}
      </tr>
    );
  };
  const dimension = rows[0]?.dimension as Exclude<SliceRow["dimension"], "all"> | undefined;
  const labels = dimension ? SLICE_DIMENSION_LABELS[dimension] : null;
  return (
    <FigureSection title={title} note={labels?.meaning}>
      <Table label={title}>
        <thead>
          <tr>
            <Th>{labels?.column ?? "Slice"}</Th>
            <Th className="text-right">Records</Th>
            <Th className="text-right">Audit rate</Th>
            <Th className="text-right">Override rate</Th>
            <Th className="text-right">Labelled</Th>
            <Th className="text-right">FP rate</Th>
            <Th className="text-right">FN rate</Th>
            <Th className="text-right">Calibration</Th>
            {title === SLICE_DIMENSION_LABELS.flag.title ? <Th>In the queue</Th> : null}
          </tr>
        </thead>
        <tbody>
          {baseline ? line(baseline, true) : null}
          {rows.map((r) => line(r))}
        </tbody>
      </Table>
    </FigureSection>
  );
}

function Calibration({ kpis }: { kpis: SliceKpis }) {
  const { slice, row, reliability } = kpis.selected;
  const name = sliceName(slice);
  return (
    <FigureSection
      id="calibration"
      title={`Calibration: ${name}`}
      note={`Labelled records of the slice by p50 decile: the observed positive rate against the deciles' mean p50 and mean [p10, p90]. A decile with at least ${MIN_BUCKET_LABELLED} labelled records is covered when its observed rate lies within that band.`}
      actions={<CsvLink href={`/governance/slices/export?days=${kpis.days}&slice=${encodeURIComponent(sliceParam(slice))}&records=1`} label="Records of this slice (CSV)" />}
    >
      {reliability.length === 0 ? (
        <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">
          {row === null ? `No record of the window is in ${name}.` : `None of the ${count(row.records)} records of ${name} in this window is labelled yet: calibration appears as label feedback arrives or analysts decide.`}
        </p>
      ) : (
        <div className="grid gap-4 2xl:grid-cols-[3fr_2fr]">
          <div className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
            <LazyReliabilityChart name={name} points={reliability.map((b) => ({ label: `${b.range[0].toFixed(1)}–${b.range[1].toFixed(1)}`, observed: b.observed, meanP50: b.meanP50, meanP10: b.meanP10, meanP90: b.meanP90, labelled: b.labelled }))} />
          </div>
          <Table label="Calibration by p50 decile">
            <thead>
              <tr>
                <Th>p50</Th>
                <Th className="text-right">Labelled</Th>
                <Th className="text-right">Observed</Th>
                <Th className="text-right">Mean [p10, p90]</Th>
                <Th>Covered</Th>
              </tr>
            </thead>
            <tbody>
              {reliability.map((b) => (
                <tr key={b.bucket} data-testid={`bucket-${b.bucket}`}>
                  <Td className="tabular whitespace-nowrap">
                    {b.range[0].toFixed(1)}–{b.range[1].toFixed(1)}
                  </Td>
                  <Td className={NUM}>{count(b.labelled)}</Td>
                  <Td className={NUM}>{pct(b.observed)}</Td>
                  <Td className={NUM}>
                    {pct(b.meanP10)} – {pct(b.meanP90)}
                  </Td>
                  <Td>{b.covered === null ? <span className="text-xs text-zinc-500">too few</span> : <Badge tone={b.covered ? "green" : "red"}>{b.covered ? "yes" : "no"}</Badge>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </FigureSection>
  );
}

export default async function SliceKpisPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("dashboards:read");
  const params = await searchParams;
  const days = parseDays(params.days);
  const slice = parseSlice(params.slice);
  const header = (
    <PageHeader
      title="Slice KPIs"
      description="Does the gate work as well for every kind of record? Per flag, fragile or not, and per HomePlanet, Destination and CabinDeck: audit and override rates, the model's error rates on labelled records and whether the interval covers what was observed. Truth: label feedback when its sources agree, else the analysts' final decision (docs/labels.md)."
      actions={days.ok ? <CsvLink href={`/governance/slices/export?days=${days.value}`} label="Download CSV (all slices)" /> : undefined}
    />
  );
  if (!days.ok) return <BadWindow header={header} param="days" message={days.message} href="/governance/slices" action="Open the last 28 days" />;
  if (!slice.ok) return <BadWindow header={header} param="slice" message={slice.message} href={`/governance/slices?days=${days.value}`} action="Show all records" />;
  let kpis: SliceKpis;
  try {
    kpis = await sliceKpis(actor, { days: days.value, slice: slice.slice });
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return <BadWindow header={header} param="slice" message={error.message.replace(/^slice /, "").replace(/\.$/, "")} href={`/governance/slices?days=${days.value}`} action="Show all records" />;
  }
  const baseline = kpis.slices.find((s) => s.dimension === "all");
  const canSeeQueue = actorCan(actor, "queue:read");

  return (
    <div className="space-y-6">
      {header}
      <WindowForm
        action="/governance/slices"
        name="days"
        unit="day"
        value={kpis.days}
        choices={DAY_WINDOW_CHOICES}
        keep={slice.slice.dimension === "all" ? {} : { slice: sliceParam(slice.slice) }}
        note={<>From {kpis.from} (UTC) to now · each record counted once, by its current result&apos;s day · FP rate = model positives among labelled negatives; FN rate = model negatives among labelled positives</>}
      />
      {!baseline ? (
        <EmptyState title={`Nothing was gated in the last ${kpis.days} day${kpis.days === 1 ? "" : "s"}`}>Each ingested record is counted here by its current result; a wider window may show older batches.</EmptyState>
      ) : (
        <>
          <section aria-label="All records" className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
            <Fact label="Records" value={count(baseline.records)} hint={`${count(baseline.labelled)} labelled · ${baseline.disputed} disputed`} />
            <Fact label="Audit rate" value={pct(baseline.figures.auditRate)} hint={`${count(baseline.audit)} sent to a person`} />
            <Fact label="Override rate" value={pct(baseline.figures.overrideRate)} hint={`${count(baseline.overrides)} of ${count(baseline.decided)} decisions`} />
            <Fact label="Model FP rate" value={pct(baseline.figures.fpRate)} hint={`${count(baseline.falsePos)} of ${count(baseline.labelled - baseline.positives)} labelled negatives`} />
            <Fact label="Model FN rate" value={pct(baseline.figures.fnRate)} hint={`${count(baseline.falseNeg)} of ${count(baseline.positives)} labelled positives`} />
            <Fact label="Calibration coverage" value={`${baseline.figures.coverage.covered} of ${baseline.figures.coverage.judged}`} hint={`p50 deciles with ≥ ${MIN_BUCKET_LABELLED} labelled records covered`} tone={baseline.figures.coverage.covered < baseline.figures.coverage.judged ? "bad" : undefined} />
          </section>
          <Calibration kpis={kpis} />
          {SLICE_DIMENSIONS.map((d) => {
            const rows = kpis.slices.filter((s) => s.dimension === d);
            return rows.length === 0 ? null : <SliceTable key={d} title={SLICE_DIMENSION_LABELS[d].title} rows={rows} baseline={baseline} days={kpis.days} selected={slice.slice} canSeeQueue={canSeeQueue} />;
          })}
        </>
      )}
    </div>
  );
}
