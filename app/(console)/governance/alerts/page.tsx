import type { Metadata } from "next";
import Link from "next/link";
import { TableError } from "@/components/data-table/states";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { listAlerts, type AlertView } from "@/lib/data/alerts";
import { parseAlertStatus } from "@/lib/governance/alerts";
import { AcknowledgeAlert, EvaluateAlerts } from "./alert-actions";

export const metadata: Metadata = { title: "Alerts" };

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Where the figures behind an alert are. */
function figuresHref(a: AlertView): string {
  if (a.rule === "override_rate_over_threshold") return "/governance/overrides";
  if (a.rule === "ledger_verification_failed") return "/governance/ledger";
  if (a.rule === "drift_over_threshold") return "/governance/routing#drift";
  if (a.rule === "event_freshness_breach") return "/governance/events";
  if (a.rule === "fragile_error_spike") return "/governance/slices?slice=fragility:fragile#calibration";
  return "/governance/routing";
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("dashboards:read");
  const parsed = parseAlertStatus((await searchParams).status);
  const status = parsed.ok ? parsed.value : "open";
  const alerts = parsed.ok ? await listAlerts(actor, { status }) : [];
  const canAcknowledge = actorCan(actor, "alerts:acknowledge");
  const tab = (value: "open" | "all", label: string) => (
    <Link
      prefetch={false}
      href={value === "open" ? "/governance/alerts" : "/governance/alerts?status=all"}
      aria-current={status === value ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm ${status === value ? "bg-white font-medium shadow-xs ring-1 ring-zinc-200 dark:bg-zinc-800 dark:ring-zinc-700" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
    >
      {label}
    </Link>
  );
  return (
    <div className="space-y-6">
      <PageHeader
        title="Alerts"
        description="Raised by rules on the governance figures — a canary released automatically, a fragile record sent alone released, the fragile share out of its band, an override rate over the threshold, the released error bound over the target, input drift at PSI ≥ 0.25 on a day, a spike in the model's FP or FN rate on fragile records, an event pipeline stage behind its freshness SLO, an edit log that does not verify — on a schedule and when asked. Each is acknowledged once, with a note, by a governance user; the acknowledgement is an edit-log entry."
        actions={actorCan(actor, "governance:read") ? <EvaluateAlerts /> : undefined}
      />
      <nav aria-label="Alert status" className="flex gap-1">
        {tab("open", "Open")}
        {tab("all", "All")}
      </nav>
      {!parsed.ok ? (
        <TableError title="This view's address is not valid" href="/governance/alerts" action="Show the open alerts">
          <span className="font-mono">status</span> {parsed.message}.
        </TableError>
      ) : alerts.length === 0 ? (
        <EmptyState title={status === "open" ? "No open alert" : "No alert was ever raised"}>
          The rules run every few minutes over the last days of routing health and the last weeks of the override register; an alert appears here the first time a rule fires for a day, week or record.
        </EmptyState>
      ) : (
        <ul aria-label="Alerts" className="space-y-3">
          {alerts.map((a) => (
            <li key={a.id} data-testid={`alert-${a.id}`} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 space-y-1">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">
                    <Badge tone={a.acknowledged ? "neutral" : "red"}>{a.acknowledged ? "acknowledged" : "open"}</Badge>
                    {a.title}
                    <span className="font-mono text-xs font-normal text-zinc-500">{a.key}</span>
                  </p>
                  <p className="text-sm text-zinc-700 dark:text-zinc-300">{a.detail}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    raised {utc(a.raisedAt)} · last seen {utc(a.lastSeenAt)} ·{" "}
                    <Link prefetch={false} href={figuresHref(a)} className="text-sky-700 hover:underline dark:text-sky-400">
                      the figures
                    </Link>
                  </p>
                  {a.acknowledged ? (
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      Acknowledged by {a.acknowledged.name ?? "unknown user"} {utc(a.acknowledged.at)} (edit-log entry #{a.acknowledged.seq}): “{a.acknowledged.note}”
                    </p>
                  ) : null}
                </div>
                {!a.acknowledged && canAcknowledge ? <AcknowledgeAlert alertId={a.id} title={a.title} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
