import { redirect } from "next/navigation";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The edit log moved under governance: old links and bookmarks keep working, filters kept. */
export default async function LedgerRedirect({ searchParams }: { searchParams: SearchParams }) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, one);
  const s = query.toString();
  redirect(s ? `/governance/ledger?${s}` : "/governance/ledger");
}
