import type { Metadata } from "next";
import Form from "next/form";
import { TableEmpty } from "@/components/data-table/states";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { requirePageUser } from "@/lib/auth/session";
import { listModelCards } from "@/lib/data/model-cards";
import { CARD_STATUSES, TASKS } from "@/lib/model-cards/card";
import { ModelTable } from "./model-columns";
import { TASK_LABELS } from "./model-parts";
import { loadModelListFilter, MODELS_PATH } from "./search-params";

export const metadata: Metadata = { title: "Model cards" };

/** One filter of the form: "Any" or one of the options (value, label). */
function Choice({ name, label, value, options }: { name: string; label: string; value: string | null; options: [string, string][] }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageUser("models:read");
  const filter = loadModelListFilter(await searchParams);
  const all = await listModelCards(actor);
  const domains = [...new Set(all.map((c) => c.domain))].sort();
  const rows = all.filter((c) => (!filter.status || c.status === filter.status) && (!filter.task || c.task === filter.task) && (!filter.domain || c.domain === filter.domain));
  const filtered = Boolean(filter.status || filter.task || filter.domain);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Model cards"
        count={rows.length}
        description="Every model version registered with its card: what it was trained and validated on, its figures on held-out data, and the leakage gauntlet's gates. Cards are append-only; a changed model is a new version."
      />
      <Form action={MODELS_PATH} aria-label="Model filters" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        <Choice name="status" label="Status" value={filter.status} options={CARD_STATUSES.map((s) => [s, s])} />
        <Choice name="task" label="Task" value={filter.task} options={TASKS.map((t) => [t, TASK_LABELS[t]])} />
        <Choice name="domain" label="Domain" value={filter.domain} options={domains.map((d) => [d, d])} />
        <Button type="submit">Apply</Button>
      </Form>
      {rows.length === 0 ? (
        <TableEmpty title={filtered ? "No model card matches these filters." : "No model card is registered yet."} clearHref={filtered ? MODELS_PATH : null}>
          {filtered ? null : (
            <p>
              A training pipeline registers a card with <code className="font-mono text-xs">POST /api/v1/model-cards</code> (a token with the scope models:write; docs/api.md).
            </p>
          )}
        </TableEmpty>
      ) : (
        <ModelTable key={JSON.stringify(filter)} rows={rows} />
      )}
    </div>
  );
}
