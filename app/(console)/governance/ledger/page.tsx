import path from "node:path";
import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { KeysetPager } from "@/components/data-table/pager";
import { TableEmpty } from "@/components/data-table/states";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { IsoDateField } from "@/components/ui/iso-date-field";
import { Time } from "@/components/ui/time";
import { actorCan } from "@/lib/auth/actor";
import { requirePageUser } from "@/lib/auth/session";
import { subjectHref } from "@/lib/navigation";
import { latestTreeHeadSize, ledgerSigningKey, listCheckpoints, witnessAtAGlance } from "@/lib/data/checkpoints";
import type { SignedCheckpoint } from "@/lib/ledger/checkpoint";
import type { WitnessComparison } from "@/lib/ledger/witness";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { eventGroupIds, ledgerActors, ledgerHead, listEntries, type LedgerEntryView } from "@/lib/data/ledger";
import { SUBJECT_TYPES } from "@/lib/ledger/entry";
import { LedgerTable, type LedgerRow } from "./ledger-columns";
import { SignCheckpoint, VerifyLedger } from "./ledger-controls";
import { KNOWN_ACTIONS, LEDGER_PATH, ledgerHref, loadLedgerFilter } from "./search-params";

/** A file inside the project as the project's relative path (what an operator types); elsewhere as it is. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

const PAGE = 50;

export const metadata: Metadata = { title: "Edit log" };

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

function toRow(e: LedgerEntryView, groups: Record<string, string>, signedSize: number | null): LedgerRow {
  return {
    seq: e.seq,
    hash: e.hash,
    recordedAt: e.recordedAt,
    action: e.entry.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    subjectLabel: (e.subjectType === "event" && groups[e.subjectId]) || e.subjectId,
    subjectHref: subjectHref(e.subjectType, e.subjectId),
    by: e.entry.actor.type === "user" ? (e.actorName ?? "unknown") : `system: ${e.entry.actor.rule}`,
    reasonCode: e.entry.reasonCode,
    reasonText: e.entry.reasonText,
    provable: signedSize !== null && Number(e.seq) <= signedSize,
  };
}

/** The latest tree heads: what each signed (size, root, chain head), when, with which key. */
function TreeHeads({ checkpoints }: { checkpoints: SignedCheckpoint[] }) {
  if (checkpoints.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">None signed yet. The server signs one every hour when the log has moved; proofs are served once one is signed.</p>;
  }
  const th = "px-2 py-1.5 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400";
  return (
    <table aria-label="Latest signed tree heads" className="w-full text-sm">
      <thead className="border-b border-zinc-200 dark:border-zinc-800">
        <tr>
          <th className={`${th} text-right`}>Size</th>
          <th className={th}>Root hash</th>
          <th className={th}>Chain head</th>
          <th className={th}>Signed</th>
          <th className={th}>Key id</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {checkpoints.map((c) => (
          <tr key={c.signature} className="h-9">
            <td className="tabular px-2 text-right">{Number(c.seq).toLocaleString("en-US")}</td>
            <td className="px-2">
              {c.rootHash ? (
                <span className="flex items-center gap-1">
                  <span className="font-mono text-xs" title={c.rootHash}>
                    {c.rootHash.slice(0, 16)}…
                  </span>
                  <CopyButton value={c.rootHash} label={`Copy the root hash of tree head ${c.seq}`} />
                </span>
              ) : (
                <span className="text-xs text-zinc-500 italic dark:text-zinc-400" title="Signed before tree heads: it signs the chain head only">
                  missing (checkpoint before tree heads)
                </span>
              )}
            </td>
            <td className="px-2 font-mono text-xs" title={c.headHash}>
              {c.headHash.slice(0, 10)}…
            </td>
            <td className="px-2">
              <Time value={c.signedAt} className="tabular text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400" />
            </td>
            <td className="px-2 font-mono text-xs">{c.keyId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const WITNESS_BADGE = {
  agrees: { tone: "green", text: "agrees with the database" },
  disagrees: { tone: "red", text: "disagrees with the database" },
  none: { tone: "neutral", text: "no witness yet" },
} as const;

/** Where the witness lives, what it holds, and whether it agrees with the database's heads (and how not). */
function Witness({ witness }: { witness: WitnessComparison }) {
  const badge = WITNESS_BADGE[witness.state];
  return (
    <div className="space-y-2 text-sm">
      <Badge tone={badge.tone}>{badge.text}</Badge>
      <dl className="space-y-1">
        <div className="flex justify-between gap-3">
          <dt className="text-zinc-500">heads witnessed</dt>
          <dd className="tabular">{witness.witnessed.toLocaleString("en-US")}</dd>
        </div>
        <div className="flex justify-between gap-3">
          <dt className="text-zinc-500">heads in the database</dt>
          <dd className="tabular">{witness.signed.toLocaleString("en-US")}</dd>
        </div>
      </dl>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        File outside the database:{" "}
        <code data-testid="witness-file" className="font-mono break-all text-zinc-700 dark:text-zinc-300">
          {shownPath(witness.file)}
        </code>
      </p>
      {witness.problems.length ? (
        <ul role="alert" aria-label="Witness differences" className="space-y-1 text-xs text-red-700 dark:text-red-400">
          {witness.problems.slice(0, 5).map((p) => (
            <li key={p.message}>{p.message}</li>
          ))}
          {witness.problems.length > 5 ? <li>…and {witness.problems.length - 5} more (npm run ledger:verify lists them all)</li> : null}
        </ul>
      ) : witness.state === "none" ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Each signed tree head is written here too; none has been signed yet.</p>
      ) : null}
    </div>
  );
}

const control = "h-8 rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

/**
 * The edit log for governance (governance spec §1): the head, verification on demand, the
 * key to pin, the witness, the latest signed tree heads, the export, and the entries newest
 * first, each with its proof against the latest signed tree head.
 */
export default async function LedgerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("governance:read");
  // The URL state, parsed once: listEntries takes the typed filter.
  const search = loadLedgerFilter(await searchParams);
  const { before, ...filters } = search;
  const [head, entries, checkpoints, people, signedSize, witness] = await Promise.all([
    ledgerHead(),
    listEntries(actor, { before, actor: filters.actor, action: filters.action, subjectType: filters.subject, from: filters.from, to: filters.to, limit: PAGE }),
    listCheckpoints(actor, 5),
    ledgerActors(actor),
    latestTreeHeadSize(actor),
    witnessAtAGlance(actor),
  ]);
  const groups = await eventGroupIds(actor, entries.filter((e) => e.subjectType === "event").map((e) => e.subjectId));
  const key = ledgerSigningKey();
  const oldest = entries.at(-1)?.seq;
  const filtered = Object.values(filters).some((v) => v !== null);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Edit log"
        count={head.count}
        description="Every human and rule-driven decision, once, in order, hash-chained. The database refuses to change or delete an entry, even for its owner; anyone can verify an export with the key below."
        actions={
          <a href="/governance/ledger/export" className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
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
        <Panel title="Public key to pin (Ed25519)">
          <dl className="space-y-1 text-sm">
            <div className="flex justify-between gap-3">
              <dt className="text-zinc-500">key id</dt>
              <dd className="font-mono text-xs">{key.keyId}</dd>
            </div>
          </dl>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Raw 32 bytes, base64: pass it as --key to docs/ledger-verify.mjs and docs/ledger-proof.mjs (or ledger_proof.py) — never trust a key a file carries.</p>
          <div className="mt-1 flex items-start gap-1">
            <code data-testid="public-key" className="block flex-1 rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-800">
              {key.publicKey}
            </code>
            <CopyButton value={key.publicKey} label="Copy the public key" />
          </div>
          <details className="mt-2 text-xs">
            <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">PEM</summary>
            <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 font-mono dark:bg-zinc-800">{key.publicKeyPem}</pre>
          </details>
        </Panel>
        <Panel title="Witness">
          <Witness witness={witness} />
        </Panel>
      </div>
      <Panel title="Signed tree heads" actions={actorCan(actor, "ledger:sign") ? <SignCheckpoint /> : undefined}>
        <TreeHeads checkpoints={checkpoints} />
      </Panel>

      <section aria-label="Entries, newest first" className="space-y-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Entries, newest first</h2>
        <Form action={LEDGER_PATH} aria-label="Edit log filters" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Actor</span>
            <select id="f-actor" name="actor" defaultValue={filters.actor ?? ""} className={control}>
              <option value="">Anyone</option>
              <option value="system">system (rules)</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Action</span>
            <input name="action" list="ledger-actions" defaultValue={filters.action ?? ""} placeholder="any" className={`${control} w-28 font-mono`} />
            <datalist id="ledger-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Subject type</span>
            <select name="subject" defaultValue={filters.subject ?? ""} className={control}>
              <option value="">Any</option>
              {SUBJECT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <IsoDateField name="from" label="From (UTC day)" defaultValue={isoDay(filters.from)} className={control} />
          <IsoDateField name="to" label="To (UTC day)" defaultValue={isoDay(filters.to)} className={control} />
          <Button type="submit" size="sm">
            Apply
          </Button>
          {filtered ? (
            <Link href={LEDGER_PATH} className="px-2 py-1.5 text-sky-700 hover:underline dark:text-sky-400">
              Clear
            </Link>
          ) : null}
        </Form>
        {entries.length === 0 ? (
          <TableEmpty title={filtered ? "No entry matches these filters" : "No entries yet"} clearHref={filtered ? LEDGER_PATH : null}>
            {filtered ? "Widen or clear the filters." : "Decisions, notes, claims and releases appear here as people make them."}
          </TableEmpty>
        ) : (
          <>
            <LedgerTable key={ledgerHref(search)} rows={entries.map((e) => toRow(e, groups, signedSize))} />
            <KeysetPager
              summary={`${entries.length} entr${entries.length === 1 ? "y" : "ies"} on this page${before ? " (not the newest)" : ""}`}
              firstHref={before ? ledgerHref(LEDGER_PATH, { ...filters }) : null}
              firstLabel="← Newest"
              nextHref={oldest && entries.length === PAGE ? ledgerHref(LEDGER_PATH, { ...filters, before: oldest }) : null}
              nextLabel="Older →"
              endLabel="The first entry"
            />
          </>
        )}
      </section>
    </div>
  );
}
