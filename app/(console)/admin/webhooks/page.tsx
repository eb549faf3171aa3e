import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { listWebhookDeliveries, listWebhookSubscriptions, WEBHOOK_MAX_ATTEMPTS, type WebhookDeliveryRow } from "@/lib/data/webhooks";
import { WEBHOOK_EVENT_DESCRIPTIONS } from "@/lib/validations/webhooks";
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
    <span className="flex max-w-72 items-baseline gap-1.5 text-xs" title={d.lastError ?? undefined}>
      {code !== null ? <span className="tabular font-mono font-medium">{code}</span> : null}
      {text ? <span className={code === null ? "truncate text-red-700 dark:text-red-400" : "truncate text-zinc-500 dark:text-zinc-400"}>{text}</span> : null}
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
              <Th>URL</Th>
              <Th>Events</Th>
              <Th>Secret</Th>
              <Th className="text-right">Delivered</Th>
              <Th className="text-right">Pending</Th>
              <Th className="text-right">Failed</Th>
              <Th>Created</Th>
              <Th>Status</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id} data-testid={`webhook-row-${s.name}`}>
                <Td className="font-medium">{s.name}</Td>
                <Td>
                  <span className="block max-w-80 truncate font-mono text-xs" title={s.url}>
                    {s.url}
                  </span>
                </Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    {s.events.map((e) => (
                      <Badge key={e} tone="indigo" className="font-mono" title={WEBHOOK_EVENT_DESCRIPTIONS[e]}>
                        {e}
                      </Badge>
                    ))}
                  </span>
                </Td>
                <Td className="font-mono text-xs" title="Shown in full only when the webhook was added">
                  {s.maskedSecret}
                </Td>
                <Td className="tabular text-right">{s.delivered.toLocaleString("en-US")}</Td>
                <Td className="tabular text-right">{s.pending.toLocaleString("en-US")}</Td>
                <Td className={s.failed ? "tabular text-right text-red-700 dark:text-red-400" : "tabular text-right"}>{s.failed.toLocaleString("en-US")}</Td>
                <Td>
                  <span title={s.createdBy ? `by ${s.createdBy}` : "by the operator"}>
                    <Time value={s.createdAt} />
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
      <Panel title="Delivery log" aside={subscriptions.length ? `${active} active · newest first · retries back off from 30 s to 1 h, ${WEBHOOK_MAX_ATTEMPTS} attempts` : undefined}>
        {log.deliveries.length === 0 ? (
          <p className="py-4 text-center text-sm text-zinc-600 dark:text-zinc-400">
            {before ? "No older deliveries." : "Nothing sent yet. A delivery appears here when an event a webhook wants is finalised or opens with High priority."}
          </p>
        ) : (
          <Table label="Delivery log">
            <thead>
              <tr>
                <Th>Queued</Th>
                <Th>Webhook</Th>
                <Th>Event type</Th>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Last answer</Th>
                <Th>Next attempt</Th>
              </tr>
            </thead>
            <tbody>
              {log.deliveries.map((d) => (
                <tr key={d.id} data-testid={`delivery-row-${d.id}`}>
                  <Td>
                    <Time value={d.createdAt} />
                  </Td>
                  <Td className="font-medium">{d.subscriptionName}</Td>
                  <Td>
                    <Badge tone="indigo" className="font-mono">
                      {d.eventType}
                    </Badge>
                  </Td>
                  <Td>
                    <Link className="font-mono text-xs text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400" href={`/events/${encodeURIComponent(d.eventId)}`}>
                      {d.eventId}
                    </Link>
                  </Td>
                  <Td>
                    <span title={d.deliveredAt ? `delivered ${d.deliveredAt.toISOString()}` : undefined}>{deliveryStatus(d)}</span>
                  </Td>
                  <Td className="tabular text-right">{d.attempts}</Td>
                  <Td>{lastAnswer(d)}</Td>
                  <Td>{d.status === "pending" ? <Time value={d.nextAttemptAt} /> : <span className="text-zinc-400 italic dark:text-zinc-500">none</span>}</Td>
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
      </Panel>
    </div>
  );
}
