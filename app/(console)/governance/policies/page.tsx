import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { comparePolicySnapshots, listPolicySnapshots } from "@/lib/data/policy-changes";
import { LINK, PolicyDiffTable, PolicyStatusBadge, utc } from "./policy-parts";

export const metadata: Metadata = { title: "Policies" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("governance:read");
  const params = await searchParams;
  const snapshots = await listPolicySnapshots(actor);
  const active = snapshots.find((s) => s.status === "active");
  const waiting = snapshots.filter((s) => s.status === "proposed");
  const ids = new Set(snapshots.map((s) => s.id));
  const from = first(params.from);
  const to = first(params.to);
  const comparing = from && to && ids.has(from) && ids.has(to) ? { from, to, lines: await comparePolicySnapshots(actor, from, to) } : null;
  const badCompare = (from !== undefined || to !== undefined) && !comparing;
  const canPropose = actorCan(actor, "policies:propose");

  return (
    <div className="space-y-6">
      <PageHeader
        title="Policies"
        description="Every policy snapshot the gate has used or been asked to use. A change is proposed with a reason and becomes active only when a second governance user approves it; a rollback is an earlier snapshot proposed again. Each step is in the edit log."
        count={snapshots.length}
        actions={
          canPropose && active ? (
            <Link prefetch={false} href="/governance/policies/new" className="inline-flex h-9 items-center rounded-md bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500">
              Propose a change
            </Link>
          ) : undefined
        }
      />

      {waiting.length > 0 ? (
        <section aria-label="Waiting for approval" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm dark:border-amber-800 dark:bg-amber-950">
          <h2 className="font-semibold text-amber-900 dark:text-amber-200">Waiting for a second governance user</h2>
          <ul className="mt-1 space-y-1">
            {waiting.map((s) => (
              <li key={s.id}>
                <Link prefetch={false} className={LINK} href={`/governance/policies/${s.id}`}>
                  {s.id}
                </Link>{" "}
                — {s.proposal?.kind === "rollback" ? "rollback" : "change"} proposed by {s.proposal?.proposedBy.name ?? "unknown"} on {utc(s.proposal?.proposedAt ?? null)}: “{s.proposal?.reason}”
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <Table label="Policy snapshots">
        <thead>
          <tr>
            <Th>Snapshot</Th>
            <Th>Status</Th>
            <Th>Source</Th>
            <Th>Proposed</Th>
            <Th>Decided</Th>
            <Th>Last activated</Th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.id} data-testid={`policy-${s.id}`}>
              <Td>
                <Link prefetch={false} className={`${LINK} whitespace-nowrap font-mono text-xs`} href={`/governance/policies/${s.id}`}>
                  {s.id}
                </Link>
              </Td>
              <Td>
                <PolicyStatusBadge status={s.status} />
              </Td>
              <Td className="text-zinc-600 dark:text-zinc-400">{s.source}</Td>
              <Td className="text-xs">{s.proposal ? `${s.proposal.proposedBy.name ?? "unknown"} · ${utc(s.proposal.proposedAt)}` : "—"}</Td>
              <Td className="text-xs">{s.proposal?.decidedBy ? `${s.proposal.status} by ${s.proposal.decidedBy.name ?? "unknown"} · ${utc(s.proposal.decidedAt)}` : "—"}</Td>
              <Td className="text-xs">{utc(s.activatedAt)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <section aria-label="Compare two snapshots" className="space-y-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Compare two snapshots</h2>
        <Form action="/governance/policies" className="flex flex-wrap items-end gap-3 text-sm">
          {(["from", "to"] as const).map((name) => (
            <label key={name} className="flex flex-col gap-1">
              <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{name === "from" ? "From" : "To"}</span>
              <select
                name={name}
                defaultValue={(name === "from" ? from : to) ?? (name === "from" ? (snapshots.find((s) => s.status === "retired")?.id ?? active?.id) : active?.id)}
                className="h-9 rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
              >
                {snapshots.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id} ({s.status})
                  </option>
                ))}
              </select>
            </label>
          ))}
          <Button type="submit" variant="secondary">
            Compare
          </Button>
        </Form>
        {badCompare ? <p className="text-sm text-red-700 dark:text-red-400">from and to must each name a stored snapshot.</p> : null}
        {comparing ? (
          <PolicyDiffTable lines={comparing.lines} label="Differences" empty={comparing.from === comparing.to ? "The same snapshot: nothing differs." : "The two snapshots hold the same values."} />
        ) : null}
      </section>
    </div>
  );
}
