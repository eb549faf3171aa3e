import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { getModelCard, listModelCards, type StoredModelCard } from "@/lib/data/model-cards";
import { gauntletVerdict, headlineMetric } from "@/lib/model-cards/card";
import { metricDeltas, promotionChecklist, type CriterionResult } from "@/lib/model-cards/promotion";
import { CardStatusBadge, GateBadge, metric, TASK_LABELS, versionLabel } from "../model-parts";

export const metadata: Metadata = { title: "Compare model cards" };

const LINK = "text-sky-700 hover:underline dark:text-sky-400";
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function ResultBadge({ result }: { result: CriterionResult }) {
  if (result === "UNKNOWN") return <Badge tone="amber">UNKNOWN</Badge>;
  return <Badge tone={result === "PASS" ? "green" : "red"}>{result}</Badge>;
}

function Side({ stored, role }: { stored: StoredModelCard; role: string }) {
  const { card } = stored;
  const headline = headlineMetric(card);
  return (
    <Panel title={`${role}: ${card.displayName ?? card.model} ${versionLabel(card.version)}`}>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
        <dt className="text-zinc-500">card</dt>
        <dd>
          <Link href={`/models/${stored.id}`} className={`${LINK} font-mono text-xs`}>
            {card.model} · {card.version}
          </Link>
        </dd>
        <dt className="text-zinc-500">status</dt>
        <dd>
          <CardStatusBadge status={stored.status} />
        </dd>
        <dt className="text-zinc-500">gauntlet</dt>
        <dd>
          <GateBadge result={gauntletVerdict(card).result} />
        </dd>
        <dt className="text-zinc-500">task</dt>
        <dd>{TASK_LABELS[card.task]}</dd>
        <dt className="text-zinc-500">{headline.name}</dt>
        <dd className="tabular">
          {metric(headline.value)}
          {headline.synthesised ? <span className="ml-1 text-xs text-amber-800 dark:text-amber-300">(synthesised)</span> : null}
        </dd>
        <dt className="text-zinc-500">features</dt>
        <dd className="font-mono text-xs">
          {card.features.count} · {card.features.signature.slice(0, 12)}…
        </dd>
      </dl>
    </Panel>
  );
}

export default async function CompareModelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("models:read");
  const params = await searchParams;
  const all = await listModelCards(actor);
  const a = all.find((c) => c.id === first(params.a));
  // The default champion: the candidate's own model's, else none chosen.
  const bId = first(params.b) ?? (a ? all.find((c) => c.model === a.model && c.status === "champion" && c.id !== a.id)?.id : undefined);
  const b = all.find((c) => c.id === bId);
  const [candidate, champion] = await Promise.all([a ? getModelCard(actor, a.id) : null, b ? getModelCard(actor, b.id) : null]);
  const checklist = candidate ? promotionChecklist(candidate.card, champion?.card ?? null) : null;
  const deltas = candidate && champion && candidate.card.task === champion.card.task ? metricDeltas(candidate.card, champion.card) : null;
  const drift = candidate && champion && candidate.card.features.signature !== champion.card.features.signature;
  const bad = (params.a !== undefined && !a) || (params.b !== undefined && !b);

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/models" className={LINK}>
          Model cards
        </Link>{" "}
        / compare
      </nav>
      <PageHeader
        title="Compare a candidate with the champion"
        description="The promotion criteria of the runbook, one by one: the target metric better on held-out data, no large validation/test gap, calibration not worse, the leakage gauntlet passing. A figure a card does not carry is UNKNOWN, never a pass."
      />
      <Form action="/models/compare" aria-label="Choose the cards" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        {(
          [
            ["a", "Candidate", a?.id],
            ["b", "Champion", b?.id],
          ] as const
        ).map(([name, label, value]) => (
          <label key={name} className="flex flex-col gap-1">
            <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</span>
            <select name={name} defaultValue={value ?? ""} className="h-9 max-w-sm rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
              <option value="">Choose a card</option>
              {all.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.displayName ?? c.model} · {c.version} ({c.status})
                </option>
              ))}
            </select>
          </label>
        ))}
        <Button type="submit">Compare</Button>
      </Form>
      {bad ? <p className="text-sm text-red-700 dark:text-red-400">a and b must each name a registered card.</p> : null}

      {candidate ? (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <Side stored={candidate} role="Candidate" />
            {champion ? <Side stored={champion} role="Champion" /> : <Panel title="Champion"><p className="text-sm text-zinc-500">No champion chosen: the model has none, or pick one above.</p></Panel>}
          </div>
          {drift ? (
            <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
              Schema drift: the two cards&apos; feature signatures differ ({candidate.card.features.count} against {champion!.card.features.count} features).
            </p>
          ) : null}
          <Panel title="Promotion checklist" aside={checklist ? <ResultBadge result={checklist.result} /> : undefined}>
            <Table label="Promotion criteria">
              <thead>
                <tr>
                  <Th className="w-28">Result</Th>
                  <Th>Rule</Th>
                  <Th>The numbers</Th>
                </tr>
              </thead>
              <tbody>
                {checklist!.criteria.map((c) => (
                  <tr key={c.id} data-testid={`criterion-${c.id}`}>
                    <Td>
                      <ResultBadge result={c.result} />
                    </Td>
                    <Td>{c.rule}</Td>
                    <Td className="text-zinc-700 dark:text-zinc-300">{c.detail}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Panel>
          {deltas ? (
            <Panel title="Metrics side by side">
              <Table label="Metric deltas">
                <thead>
                  <tr>
                    <Th>Metric</Th>
                    <Th className="text-right">Candidate</Th>
                    <Th className="text-right">Champion</Th>
                    <Th className="text-right">Change</Th>
                  </tr>
                </thead>
                <tbody>
                  {deltas.map((d) => (
                    <tr key={d.name}>
                      <Td>{d.name}</Td>
                      <Td className="text-right tabular">{d.candidate === null ? <span className="text-zinc-400 italic">missing</span> : metric(d.candidate)}</Td>
                      <Td className="text-right tabular">{d.champion === null ? <span className="text-zinc-400 italic">missing</span> : metric(d.champion)}</Td>
                      <Td className="text-right tabular">
                        {d.change === null ? (
                          <span className="text-zinc-400">—</span>
                        ) : (
                          <span className={Math.abs(d.change) < 5e-5 ? "" : d.change > 0 === d.higherIsBetter ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>
                            {d.change > 0 ? "+" : d.change < 0 ? "−" : ""}
                            {Math.abs(d.change).toFixed(4)}
                          </span>
                        )}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </Panel>
          ) : null}
        </>
      ) : (
        <p className="text-sm text-zinc-500">Choose a candidate card (and a champion) above, or open a card and use its Compare link.</p>
      )}
    </div>
  );
}
