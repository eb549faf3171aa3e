import type { Metadata } from "next";
import Link from "next/link";
import { KeysetPager } from "@/components/data-table/pager";
import { CsvLink, TableEmpty, TableError } from "@/components/data-table/states";
import { PageHeader } from "@/components/layout/page-header";
import { QueueLiveUpdates } from "@/components/review/live-updates";
import { Badge } from "@/components/ui/badge";
import { hasPermission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/actor";
import { listHeldBatches } from "@/lib/data/batches";
import { countQueue, listQueue, listQueueClusters, type QueuePage, type QueueTotal } from "@/lib/data/queue";
import { ValidationError } from "@/lib/errors";
import { parseQueueView, QUEUE_SORTS, queueHref, type QueueQuery } from "@/lib/validations/queue";
import { listSavedViews } from "@/lib/data/saved-views";
import { QueueFilters } from "./queue-filters";
import { SavedViews } from "./saved-views";
import { QueueTable } from "./queue-columns";
import { ReleaseBatch } from "./release-batch";

export const metadata: Metadata = { title: "Audit queue" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A page of the queue and the view's count, or the message of a refused view (a stale or forged cursor). */
async function loadPage(actor: Actor, query: QueueQuery): Promise<{ page: QueuePage; total: QueueTotal } | { error: string }> {
  try {
    const [page, total] = await Promise.all([listQueue(actor, query), countQueue(actor, query)]);
    return { page, total };
  } catch (error) {
    if (error instanceof ValidationError) return { error: error.message };
    throw error;
  }
}

export default async function AuditQueuePage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageUser("queue:read");
  // The URL state, parsed once: lib/data takes the typed query.
  const parsed = parseQueueView(await searchParams);
  const { view } = parsed;
  const [held, clusters, views] = await Promise.all([listHeldBatches(actor), listQueueClusters(actor), listSavedViews(actor)]);
  const viewQuery = new URLSearchParams(view).toString();

  const outcome = parsed.ok ? await loadPage(actor, parsed.query) : null;
  const filtered = Object.keys(view).some((k) => k !== "sort" && k !== "dir");
  let body;
  let count: string | undefined;
  if (!parsed.ok) {
    body = (
      <TableError title="This view's address is not valid" href="/queue" action="Open the default queue">
        <span className="font-mono">{parsed.param}</span> {parsed.message}.
      </TableError>
    );
  } else if (outcome && "error" in outcome) {
    body = (
      <TableError title="This page of the queue cannot be shown" href={queueHref(view)} action="Go to the first page of this view">
        {outcome.error}
      </TableError>
    );
  } else if (outcome) {
    const { page, total } = outcome;
    const { query } = parsed;
    count = `${total.count.toLocaleString("en-US")}${total.capped ? "+" : ""}`;
    body =
      page.items.length === 0 ? (
        <TableEmpty
          title={query.status === "decided" ? "No decided record matches this view" : query.status === "mine" ? "You hold no claim in this view" : filtered ? "No queued record matches these filters" : "The queue is empty"}
          clearHref={filtered ? "/queue" : null}
        >
          {filtered ? "Widen or clear the filters to see more records." : "Records the gating core sends to audit appear here as batches are ingested."}
        </TableEmpty>
      ) : (
        <>
          <QueueTable
            resetKey={JSON.stringify([view, query.cursor])}
            items={page.items}
            sort={query.sort}
            dir={query.dir ?? QUEUE_SORTS[query.sort].defaultDir}
            status={query.status}
            view={view}
            common={page.commonReasons}
            canBulk={hasPermission(actor.role, "records:bulk")}
          />
          <KeysetPager
            summary={
              <>
                {page.items.length} on this page of <span data-testid="queue-count">{count}</span> {query.status === "decided" ? "decided" : query.status === "mine" ? "claimed by you" : "open"}
                {query.cursor ? " (not the first page)" : ""}
              </>
            }
            firstHref={query.cursor ? queueHref(view) : null}
            nextHref={page.nextCursor ? queueHref(view, { cursor: page.nextCursor }) : null}
            endLabel="End of the queue"
          />
        </>
      );
  }

  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit queue"
        description="Records the gating core would not release automatically, canaries first, then those whose machine label is most likely wrong (P(wrong), highest first). Filters and order live in the address, so a view can be bookmarked and reloaded."
        actions={
          <span className="flex items-center gap-3">
            {count !== undefined ? (
              <span className="tabular text-sm text-zinc-600 dark:text-zinc-400" title="Records in this view (exact up to 10,000)">
                <span className="font-semibold text-zinc-900 dark:text-zinc-100">{count}</span> in view
              </span>
            ) : null}
            {parsed.ok ? <CsvLink href={queueHref(view, {}, "/queue/export")} /> : null}
          </span>
        }
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
                  prefetch={false}
                  href={queueHref({}, { batch: b.id })}
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
      <QueueFilters values={view} clusters={clusters} />
      <SavedViews views={views} current={viewQuery} canShare={hasPermission(actor.role, "records:bulk")} />
      {body}
    </div>
  );
}
