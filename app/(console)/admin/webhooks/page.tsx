import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { listWebhookDeliveries, listWebhookSubscriptions, WEBHOOK_MAX_ATTEMPTS, type WebhookDeliveryRow } from "@/lib/data/webhooks";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_LABELS, type WebhookEventType } from "@/lib/validations/webhooks";
import { CreateWebhookForm, SetWebhookActive } from "./webhook-forms";

export const metadata: Metadata = { title: "Webhooks" };

const LOG_PAGE = 50;

function deliveryStatus(d: WebhookDeliveryRow) {
  if (d.status === "delivered") return <Badge tone="green">Delivered</Badge>;
  if (d.status === "failed") return <Badge tone="red" title={`Gave up after ${WEBHOOK_MAX_ATTEMPTS} attempts`}>Failed</Badge>;
  return d.attempts > 0 ? <Badge tone="amber">Retrying</Badge> : <Badge>Pending</Badge>;
}

function lastAnswer(d: WebhookDeliveryRow) {
  const code = d.lastStatusCode;
  if (code === null && d.lastError === null) return <span className="text-zinc-400 italic dark:text-zinc-500">{d.attempts ? "none" : "not sent yet"}</span>;
  // "HTTP 500 Internal Server Error" beside the code 500 says only the words.
  const text = d.lastError && code !== null && d.lastError.startsWith(`HTTP ${code}`) ? d.lastError.slice(`HTTP ${code}`.length).trim() : d.lastError;
  return (
    <span className="flex max-w-52 items-baseline gap-1.5 text-xs" title={d.lastError ?? undefined}>
      {code !== null ? <span className="tabular font-mono font-medium">{code}</span> : null}
      {text ? <span className={code === null ? "truncate text-red-700 dark:text-red-400" : "truncate text-zinc-500 dark:text-zinc-400"}>{text}</span> : null}
    </span>
  );
}

function EventTypeBadge({ type }: { type: WebhookEventType }) {
  return (
    <Badge tone="indigo" className="whitespace-nowrap" title={`${type}: ${WEBHOOK_EVENT_DESCRIPTIONS[type]}`}>
      {WEBHOOK_EVENT_LABELS[type]}
    </Badge>
  );
}

/** A webhook's deliveries by status, the ones there are (delivered, pending, failed). */
function DeliveryCounts({ delivered, pending, failed }: { delivered: number; pending: number; failed: number }) {
  if (delivered + pending + failed === 0) return <span className="text-xs text-zinc-400 italic dark:text-zinc-500">none yet</span>;
  const parts = [
    [delivered, "delivered", ""],
    [pending, "pending", ""],
    [failed, "failed", "text-red-700 dark:text-red-400"],
  ] as const;
  return (
    <span className="tabular block text-xs whitespace-nowrap">
      {parts
        .filter(([n]) => n > 0)
        .map(([n, label, tone]) => (
          <span key={label} className={`block ${tone}`}>
            {n.toLocaleString("en-US")} {label}
          </span>
        ))}
    </span>
  );
}

/** `before` of the delivery log: `<created at ISO>_<delivery id>` of the last row of the previous page. */
function parseCursor(value: string | string[] | undefined) {
  if (typeof value !== "string") return null;
  const at = value.lastIndexOf("_");
  return at > 0 ? { createdAt: value.slice(0, at), id: value.slice(at + 1) } : null;
}

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("tokens:manage");
  const before = parseCursor((await searchParams).before);
  const [subscriptions, log] = await Promise.all([listWebhookSubscriptions(actor), listWebhookDeliveries(actor, { limit: LOG_PAGE, before })]);
  const active = subscriptions.filter((s) => s.active).length;
  return (
    <div className="space-y-5">
      <PageHeader
        title="Webhooks"
        count={subscriptions.length}
        description="Other systems told about minority events as they happen: a signed JSON POST when an event is finalised or a High-priority event opens, retried with backoff until it is answered 2xx."
        actions={<CreateWebhookForm />}
      />
      {subscriptions.length === 0 ? (
        <EmptyState title="No webhooks yet">
          Add one with “New webhook”: the receiver&apos;s URL and the events it wants. Its signing secret is shown once; give it to the receiver to check each delivery&apos;s
          signature (docs/api.md).
        </EmptyState>
      ) : (
        <Table label="Webhooks">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>URL and secret</Th>
              <Th>Events</Th>
              <Th>Deliveries</Th>
              <Th>Created (UTC)</Th>
              <Th>Status</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id} data-testid={`webhook-row-${s.name}`}>
                <Td className="font-medium">{s.name}</Td>
                <Td>
                  <span className="block max-w-60 truncate font-mono text-xs" title={s.url}>
                    {s.url}
                  </span>
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400" title="The signing secret is shown in full only when the webhook is added">
                    secret <span className="font-mono">{s.maskedSecret}</span>
                  </span>
                </Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    {s.events.map((e) => (
                      <EventTypeBadge key={e} type={e} />
                    ))}
                  </span>
                </Td>
                <Td>
                  <DeliveryCounts delivered={s.delivered} pending={s.pending} failed={s.failed} />
                </Td>
                <Td>
                  <span title={s.createdBy ? `by ${s.createdBy}` : "by the operator"}>
                    <Time value={s.createdAt} zone={false} />
                  </span>
                </Td>
                <Td>{s.active ? <Badge tone="green">Active</Badge> : <Badge>Deactivated</Badge>}</Td>
                <Td className="text-right">
                  <SetWebhookActive id={s.id} name={s.name} active={s.active} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <section aria-label="Delivery log" className="space-y-2">
        <div className="flex items-baseline justify-between gap-3">
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Delivery log</h2>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {active} active webhook{active === 1 ? "" : "s"} · newest first · a failed attempt is retried after 30 s, doubling to 1 h, {WEBHOOK_MAX_ATTEMPTS} attempts in all
          </p>
        </div>
        {log.deliveries.length === 0 ? (
          <p className="rounded-lg border border-dashed border-zinc-300 px-6 py-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {before ? "No older deliveries." : "Nothing sent yet. A delivery appears here when an event a webhook wants is finalised or opens with High priority."}
          </p>
        ) : (
          <Table label="Delivery log">
            <thead>
              <tr>
                <Th>Queued (UTC)</Th>
                <Th>Webhook</Th>
                <Th>Event type</Th>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last answer · next attempt (UTC)</Th>
              </tr>
            </thead>
            <tbody>
              {log.deliveries.map((d) => (
                <tr key={d.id} data-testid={`delivery-row-${d.id}`}>
                  <Td>
                    <Time value={d.createdAt} zone={false} />
                  </Td>
                  <Td className="font-medium">
                    <span className="block max-w-44 truncate" title={d.subscriptionName}>
                      {d.subscriptionName}
                    </span>
                  </Td>
                  <Td>
                    <EventTypeBadge type={d.eventType} />
                  </Td>
                  <Td>
                    <Link className="font-mono text-xs whitespace-nowrap text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400" href={`/events/${encodeURIComponent(d.eventId)}`}>
                      {d.eventId}
                    </Link>
                  </Td>
                  <Td>
                    <span title={d.deliveredAt ? `delivered ${d.deliveredAt.toISOString()}` : undefined}>{deliveryStatus(d)}</span>
                  </Td>
                  <Td className="tabular text-right">{d.attempts}</Td>
                  <Td>
                    {lastAnswer(d)}
                    {d.status === "pending" ? (
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                        next <Time value={d.nextAttemptAt} zone={false} className="tabular" />
                      </span>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {before || log.next ? (
          <nav aria-label="Delivery log pages" className="mt-3 flex justify-end gap-3 text-sm">
            {before ? (
              <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href="/admin/webhooks">
                Newest
              </Link>
            ) : null}
            {log.next ? (
              <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href={`/admin/webhooks?before=${encodeURIComponent(`${log.next.createdAt}_${log.next.id}`)}`}>
                Older deliveries →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
