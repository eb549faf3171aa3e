import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/layout/empty-state";
import { Missing } from "@/components/layout/missing";
import { DetailRow, DetailTable } from "@/components/layout/detail-table";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";
import { Badge } from "@/components/ui/badge";
import { requirePageUser } from "@/lib/auth/session";
import { getReportDetail } from "@/lib/data/events/views";
import { NotFoundError, BadRequestError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { CAUSE_CATEGORY_LABELS, type CauseCategory } from "@/lib/mrs/taxonomy";
import { AsOfPicker } from "../../as-of";

type Params = Promise<{ reportId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Report ${(await params).reportId}` };
}

const missing = <Missing />;
const show = (v: unknown) => (v === null || v === undefined ? missing : typeof v === "number" ? v.toLocaleString("en-US") : String(v));
const cause = (c: CauseCategory | null, label: string | null) => (c === null ? missing : `${label ?? CAUSE_CATEGORY_LABELS[c].label} (${CAUSE_CATEGORY_LABELS[c].label})`);

/**
 * One minority report as of an instant (spec §3): the hydrated row with the field each
 * value came from, the machine's causes 1–3 beside the analyst's decision, and every log row
 * behind it (all versions).
 */
export default async function ReportPage({ params, searchParams }: { params: Params; searchParams: Promise<{ asOf?: string }> }) {
  const actor = await requirePageUser("events:read");
  const { reportId } = await params;
  const { asOf } = await searchParams;
  let detail;
  try {
    detail = await getReportDetail(actor, reportId, asOf ?? null);
  } catch (error) {
    if (error instanceof NotFoundError && !asOf) notFound();
    if (error instanceof NotFoundError || error instanceof BadRequestError) return <EmptyState title="Nothing to show at that instant">{error.message}</EmptyState>;
    throw error;
  }
  const { view, report: r, rows } = detail;
  const q = view.past ? `?asOf=${encodeURIComponent(view.asOf)}` : "";
  const facts: [string, React.ReactNode][] = [
    ["store · retailer · city", `${r.storeId ?? "—"} · ${r.retailer ?? "—"} · ${r.city ?? "—"}`],
    ["SKU", show(r.sku)],
    ["cluster", r.isClustered ? show(r.clusterId) : <span className="italic text-zinc-500">unclustered</span>],
    ["window", r.windowStart ? `${formatUtc(r.windowStart)} → ${r.windowEnd ? formatUtc(r.windowEnd) : "open"}` : missing],
    ["actual · baseline · uplift", <span key="t" className="tabular">{show(r.actual)} · {show(r.baseline)} · {show(r.uplift)}</span>],
    ["attribution", r.attributionState],
    ["machine cause 1", <span key="c1">{cause(r.causeCategory_1, r.causeLabel_1)} {r.confidence_1?.toFixed(2)}</span>],
    ["machine cause 2", r.causeCategory_2 === null ? missing : <span key="c2">{cause(r.causeCategory_2, r.causeLabel_2)} {r.confidence_2?.toFixed(2)}</span>],
    ["machine cause 3", r.causeCategory_3 === null ? missing : <span key="c3">{cause(r.causeCategory_3, r.causeLabel_3)} {r.confidence_3?.toFixed(2)}</span>],
    ["analyst", r.analystCauseCategory ? <span key="a">{cause(r.analystCauseCategory, r.analystCauseLabel)} · {r.analystStatus}</span> : r.analystStatus],
    ["degraded", r.isDegraded ? "yes" : "no"],
    ["view written at", formatUtc(r.writtenAt)],
  ];
  return (
    <div className="space-y-4">
      <nav className="text-sm">
        {r.eventId ? (
          <Link href={`/events/${r.eventId}${q}`} className="text-sky-700 hover:underline dark:text-sky-400">
            ← Event {r.reportGroupId}
          </Link>
        ) : (
          <Link href={`/events${q}`} className="text-sky-700 hover:underline dark:text-sky-400">
            ← Minority events
          </Link>
        )}
      </nav>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 pb-4 dark:border-zinc-800">
        <div className="flex items-center gap-3">
          <h1 className="font-mono text-xl font-semibold">{r.reportId}</h1>
          <Badge tone="neutral">{r.displayStatus}</Badge>
        </div>
        <AsOfPicker key={view.asOf} asOf={view.asOf} past={view.past} />
      </header>
      <Panel title="Hydrated report">
        <dl className="grid gap-x-6 md:grid-cols-2">
          {facts.map(([k, v]) => (
            <Row key={k} label={k}>
              {v}
            </Row>
          ))}
        </dl>
      </Panel>
      <Panel title="Log rows" aside="every version">
        <DetailTable columns={[{ label: "written" }, { label: "log" }, { label: "version" }, { label: "row" }]}>
            {rows.map((row, i) => (
              <DetailRow key={i} className="align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap text-xs">{formatUtc(row.writtenAt)}</td>
                <td className="py-1.5 pr-3">{row.log}</td>
                <td className="tabular py-1.5 pr-3">v{row.version}</td>
                <td className="py-1.5 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{JSON.stringify(row.row)}</td>
              </DetailRow>
            ))}
        </DetailTable>
      </Panel>
    </div>
  );
}
