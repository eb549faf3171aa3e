import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { ledgerSigningKey, listCheckpoints } from "@/lib/data/checkpoints";
import { ledgerHead, listEntries } from "@/lib/data/ledger";
import { SignCheckpoint, VerifyLedger } from "./ledger-controls";

export const metadata: Metadata = { title: "Edit log" };

const ACTION_TONES: Record<string, BadgeTone> = { confirm: "green", override: "red", release: "violet", note: "indigo", claim: "neutral" };

function Panel({ title, children, actions }: { title: string; children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

const subjectHref = (type: string, id: string) => (type === "record" ? `/queue/${encodeURIComponent(id)}` : type === "batch" ? `/queue?batch=${encodeURIComponent(id)}` : null);

/**
 * The edit log for governance (governance spec §1): the head, verification on demand, the
 * signing key and checkpoints, the export, and the entries newest first.
 */
export default async function LedgerPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const actor = await requirePageUser("governance:read");
  const { before } = await searchParams;
  const [head, entries, checkpoints] = await Promise.all([ledgerHead(), listEntries(actor, { beforeSeq: before, limit: 50 }), listCheckpoints(actor, 5)]);
  const key = ledgerSigningKey();
  const oldest = entries.at(-1)?.seq;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Edit log"
        count={head.count}
        description="Every human and rule-driven decision, once, in order, hash-chained. The database refuses to change or delete an entry, even for its owner; anyone can verify an export with the key below."
        actions={
          <a href="/ledger/export" className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
            Download export (JSONL)
          </a>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Chain">
          <dl className="mb-3 space-y-1 text-sm">
            <div className="flex justify-between gap-3">
              <dt className="text-zinc-500">entries</dt>
              <dd className="tabular">{head.count.toLocaleString("en-US")}</dd>
            </div>
            <div className="flex justify-between gap-3">
              <dt className="text-zinc-500">head hash</dt>
              <dd className="truncate font-mono text-xs" title={head.hash}>
                {head.hash.slice(0, 24)}…
              </dd>
            </div>
          </dl>
          <VerifyLedger />
        </Panel>
        <Panel title="Signing key (Ed25519)">
          <dl className="space-y-1 text-sm">
            <div className="flex justify-between gap-3">
              <dt className="text-zinc-500">key id</dt>
              <dd className="font-mono text-xs">{key.keyId}</dd>
            </div>
          </dl>
          <p className="mt-2 text-xs text-zinc-500">Public key (raw 32 bytes, base64) — pass it to docs/ledger-verify.mjs to pin the signer:</p>
          <code data-testid="public-key" className="mt-1 block rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-800">
            {key.publicKey}
          </code>
          <details className="mt-2 text-xs">
            <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">PEM</summary>
            <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 font-mono dark:bg-zinc-800">{key.publicKeyPem}</pre>
          </details>
        </Panel>
        <Panel title="Checkpoints" actions={<SignCheckpoint />}>
          {checkpoints.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">None signed yet. The server signs one every hour when the chain has moved.</p>
          ) : (
            <ul className="space-y-1.5 text-sm">
              {checkpoints.map((c) => (
                <li key={c.signature} className="flex items-center justify-between gap-2">
                  <span className="tabular">
                    entry #{c.seq} · <span className="font-mono text-xs">{c.headHash.slice(0, 10)}…</span>
                  </span>
                  <Time value={c.signedAt} className="text-xs text-zinc-500" />
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>

      <Panel title="Entries, newest first">
        {entries.length === 0 ? (
          <EmptyState title="No entries yet">Decisions, notes, claims and releases appear here as people make them.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="text-xs text-zinc-500">
                  <th scope="col" className="py-1.5 pr-3 text-right font-medium">seq</th>
                  <th scope="col" className="py-1.5 pr-3 font-medium">recorded</th>
                  <th scope="col" className="py-1.5 pr-3 font-medium">action</th>
                  <th scope="col" className="py-1.5 pr-3 font-medium">subject</th>
                  <th scope="col" className="py-1.5 pr-3 font-medium">by</th>
                  <th scope="col" className="py-1.5 pr-3 font-medium">reason</th>
                  <th scope="col" className="py-1.5 font-medium">hash</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const href = subjectHref(e.subjectType, e.subjectId);
                  return (
                    <tr key={e.seq} className="h-9 border-t border-zinc-100 dark:border-zinc-800">
                      <td className="tabular py-1.5 pr-3 text-right">{e.seq}</td>
                      <td className="py-1.5 pr-3 whitespace-nowrap">
                        <Time value={e.recordedAt} className="text-xs text-zinc-600 dark:text-zinc-400" />
                      </td>
                      <td className="py-1.5 pr-3">
                        <Badge tone={ACTION_TONES[e.entry.action] ?? "neutral"}>{e.entry.action}</Badge>
                      </td>
                      <td className="py-1.5 pr-3 whitespace-nowrap">
                        <span className="text-xs text-zinc-500">{e.subjectType} </span>
                        {href ? (
                          <Link href={href} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400">
                            {e.subjectId}
                          </Link>
                        ) : (
                          <span className="font-mono text-xs">{e.subjectId}</span>
                        )}
                      </td>
                      <td className="py-1.5 pr-3 whitespace-nowrap">{e.entry.actor.type === "user" ? (e.actorName ?? "unknown") : `system: ${e.entry.actor.rule}`}</td>
                      <td className="max-w-md truncate py-1.5 pr-3 text-zinc-600 dark:text-zinc-400" title={e.entry.reasonText ?? undefined}>
                        {e.entry.reasonCode ? <span className="font-mono text-xs">{e.entry.reasonCode} </span> : null}
                        {e.entry.reasonText ?? ""}
                      </td>
                      <td className="py-1.5 font-mono text-xs" title={e.hash}>
                        {e.hash.slice(0, 12)}…
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <nav aria-label="Pages" className="mt-3 flex justify-between text-sm">
          {before ? (
            <Link href="/ledger" className="text-sky-700 hover:underline dark:text-sky-400">
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {oldest && oldest !== "1" && entries.length === 50 ? (
            <Link href={`/ledger?before=${oldest}`} className="text-sky-700 hover:underline dark:text-sky-400">
              Older →
            </Link>
          ) : null}
        </nav>
      </Panel>
    </div>
  );
}
