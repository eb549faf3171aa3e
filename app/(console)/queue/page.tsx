import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { QueueLiveUpdates } from "@/components/review/live-updates";
import { Badge } from "@/components/ui/badge";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { listHeldBatches } from "@/lib/data/batches";
import { listQueue, listQueueClusters, type QueuePage } from "@/lib/data/queue";
import { ValidationError } from "@/lib/errors";
import { queueQuerySchema, QUEUE_VIEW_PARAMS } from "@/lib/validations/queue";
import { listSavedViews } from "@/lib/data/saved-views";
import { QueueFilters } from "./queue-filters";
import { SavedViews } from "./saved-views";
import { QueueTable } from "./queue-table";
import { ReleaseBatch } from "./release-batch";

export const metadata: Metadata = { title: "Audit queue" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The view's parameters as a flat string map (a repeated parameter keeps its first value). */
function flatten(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? "") : v;
  return out;
}

function hrefWith(params: Record<string, string>, changes: Record<string, string | null>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v !== null && v !== "") next.set(k, v);
  const s = next.toString();
  return s ? `/queue?${s}` : "/queue";
}

/** A page of the queue, or the message of a refused view (a stale or forged cursor). */
async function loadPage(actor: Actor, params: Record<string, string>): Promise<{ page: QueuePage } | { error: string }> {
  try {
    return { page: await listQueue(actor, params) };
  } catch (error) {
    if (error instanceof ValidationError) return { error: error.message };
    throw error;
  }
}

export default async function AuditQueuePage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageUser("queue:read");
  const params = flatten(await searchParams);
  const parsed = queueQuerySchema.safeParse(params);
  const [held, clusters, views] = await Promise.all([listHeldBatches(actor), listQueueClusters(actor), listSavedViews(actor)]);
  const view = Object.fromEntries(QUEUE_VIEW_PARAMS.filter((k) => params[k]).map((k) => [k, params[k]!]));
  const viewQuery = new URLSearchParams(view).toString();

  const outcome = parsed.success ? await loadPage(actor, params) : null;
  const filtered = Object.keys(view).length > 0;
  let body;
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    body = (
      <EmptyState title="This view's address is not valid" action={<Link className="text-sm font-medium text-sky-700 underline dark:text-sky-400" href="/queue">Open the default queue</Link>}>
        <span className="font-mono">{String(issue.path[0] ?? "")}</span> {issue.message}.
      </EmptyState>
    );
  } else if (outcome && "error" in outcome) {
    body = (
      <EmptyState title="This page of the queue cannot be shown" action={<Link className="text-sm font-medium text-sky-700 underline dark:text-sky-400" href={hrefWith(view, {})}>Go to the first page of this view</Link>}>
        {outcome.error}
      </EmptyState>
    );
  } else if (outcome && outcome.page.items.length === 0) {
    body = (
      <EmptyState
        title={filtered ? "No queued record matches these filters" : "The queue is empty"}
        action={filtered ? <Link className="text-sm font-medium text-sky-700 underline dark:text-sky-400" href="/queue">Clear the filters</Link> : undefined}
      >
        {filtered ? "Widen or clear the filters to see more records." : "Records the gating core sends to audit appear here as batches are ingested."}
      </EmptyState>
    );
  } else if (outcome && parsed.success) {
    const { page } = outcome;
    const isFirst = !params.cursor;
    body = (
      <>
        <QueueTable key={JSON.stringify(params)} items={page.items} sort={parsed.data.sort} dir={parsed.data.dir} params={view} canBulk={hasPermission(actor.role, "records:bulk")} />
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          <span className="text-zinc-500 dark:text-zinc-400">
            {page.items.length} record{page.items.length === 1 ? "" : "s"} on this page{isFirst ? "" : " (not the first page)"}
          </span>
          <span className="flex gap-3">
            {!isFirst ? (
              <Link className="rounded px-2 py-1 font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950" href={hrefWith(view, {})}>
                ← First page
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link rel="next" className="rounded px-2 py-1 font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950" href={hrefWith(view, { cursor: page.nextCursor })}>
                Next page →
              </Link>
            ) : (
              <span className="text-zinc-400">End of the queue</span>
            )}
          </span>
        </nav>
      </>
    );
  }

  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit queue"
        description="Records the gating core would not release automatically, riskiest first: fragility above θ, then the least certain. Filters and order live in the address, so a view can be bookmarked and reloaded."
      />
      <QueueLiveUpdates selfId={actor.id} />
      {held.length > 0 ? (
        <section aria-label="Held batches" className="rounded-lg border border-violet-200 bg-violet-50/60 px-4 py-3 text-sm dark:border-violet-900 dark:bg-violet-950/40">
          <p className="font-medium text-violet-900 dark:text-violet-200">
            {held.length} held batch{held.length === 1 ? "" : "es"}: more fragile records than the base rate explains, so every record in them waits for a human.
          </p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {held.map((b) => (
              <li key={b.id} className="flex items-center gap-1">
                <Link
                  href={hrefWith({}, { batch: b.id })}
                  className="inline-flex items-center gap-2 rounded border border-violet-200 bg-white px-2 py-1 hover:border-violet-400 dark:border-violet-800 dark:bg-zinc-900"
                  title={`${b.fragileCount} of ${b.size} fragile (${(b.hold.fragileFraction * 100).toFixed(1)} % ≥ ${(b.hold.threshold * 100).toFixed(0)} %), binomial p = ${b.hold.pValue.toPrecision(2)} < α ${b.hold.alpha}`}
                >
                  <Badge tone="violet">held</Badge>
                  <span className="font-mono text-xs">{b.id}</span>
                  <span className="tabular text-xs text-zinc-600 dark:text-zinc-400">
                    {b.fragileCount}/{b.size} fragile · p {b.hold.pValue.toPrecision(2)}
                  </span>
                </Link>
                {hasPermission(actor.role, "batches:release") ? <ReleaseBatch batchId={b.id} size={b.size} ledgerVersion={b.ledgerVersion} /> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <QueueFilters values={params} clusters={clusters} />
      <SavedViews views={views} current={viewQuery} />
      {body}
    </div>
  );
}
