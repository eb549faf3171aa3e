import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { requirePageUser } from "@/lib/auth/session";
import { subjectHref } from "@/lib/navigation";
import { auditTrail, type TrailItem } from "@/lib/data/audit-trail";
import { TRAIL_SUBJECTS, type TrailSubject } from "@/lib/ledger/entry";
import { NotFoundError } from "@/lib/errors";
import { TrailLookup } from "../../lookup";

export const metadata: Metadata = { title: "Audit trail" };

const KIND = { machine: { tone: "neutral", label: "machine" }, label: { tone: "violet", label: "label" }, human: { tone: "indigo", label: "person" } } as const;

function Item({ item }: { item: TrailItem }) {
  // Probabilities and p-values to four significant digits: the trail is read, not computed with.
  const facts = Object.entries(item.facts)
    .filter(([, v]) => v !== null && v !== "")
    .map(([k, v]) => [k, typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v] as const);
  return (
    <li className="relative border-l-2 border-zinc-200 pb-4 pl-4 dark:border-zinc-800" data-kind={item.kind}>
      <div className="flex flex-wrap items-baseline gap-2">
        <Badge tone={KIND[item.kind].tone}>{KIND[item.kind].label}</Badge>
        <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{item.title}</span>
        <span className="tabular text-xs text-zinc-500">{item.at.slice(0, 19).replace("T", " ")} UTC</span>
      </div>
      {facts.length > 0 ? (
        <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {facts.map(([k, v]) => (
            <div key={k} className="flex gap-1">
              <dt className="text-zinc-500">{k}</dt>
              <dd className="max-w-xl truncate font-mono" title={String(v)}>
                {String(v)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {item.chain ? (
        <p className="mt-1 font-mono text-xs text-zinc-500" title={item.chain.hash}>
          edit log #{item.chain.seq} · {item.chain.subject} v{item.chain.subjectVersion} · {item.chain.hash.slice(0, 16)}…
        </p>
      ) : null}
    </li>
  );
}

export default async function TrailPage({ params }: { params: Promise<{ subjectType: string; id: string }> }) {
  const actor = await requirePageUser("governance:read");
  const { subjectType, id: raw } = await params;
  if (!(TRAIL_SUBJECTS as readonly string[]).includes(subjectType)) notFound();
  const type = subjectType as TrailSubject;
  const id = decodeURIComponent(raw);
  let trail;
  try {
    trail = await auditTrail(actor, type, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const page = subjectHref(type, id);
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Audit trail: ${type} ${id}`}
        description="Machine rows, label feedback and human actions in time order; each human action with its edit-log position and hash."
        actions={
          <span className="flex items-center gap-3 text-sm">
            {page ? (
              <Link prefetch={false} href={page} className="text-sky-700 hover:underline dark:text-sky-400">
                Open the {type}
              </Link>
            ) : null}
            <a href={`/api/v1/trail/${type}/${encodeURIComponent(id)}`} className="text-sky-700 hover:underline dark:text-sky-400">
              JSON (API token)
            </a>
          </span>
        }
      />
      <TrailLookup type={type} id={id} />
      <ol aria-label="Trail" className="max-w-5xl">
        {trail.items.map((item, i) => (
          <Item key={`${item.at}-${i}`} item={item} />
        ))}
      </ol>
    </div>
  );
}
