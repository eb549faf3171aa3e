"use client";

import Form from "next/form";
import Link from "next/link";
import { useRef } from "react";
import { FLAG_CODES, REASON_CODES } from "@/lib/gating/reasons";
import { QUEUE_KINDS, QUEUE_SORTS, QUEUE_SORT_KEYS, QUEUE_STATUSES } from "@/lib/validations/queue-view";

const selectClass =
  "h-8 rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 focus:outline-2 focus:outline-sky-500";
const inputClass = `${selectClass} w-20 tabular`;

function Labelled({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A labelled select of the filter form; `any` is the empty choice (no filter). */
function FilterSelect({
  name,
  label,
  any,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  any?: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: () => void;
}) {
  return (
    <Labelled label={label} htmlFor={`f-${name}`}>
      <select id={`f-${name}`} name={name} defaultValue={value} onChange={onChange} className={selectClass}>
        {any !== undefined ? <option value="">{any}</option> : null}
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

/**
 * The queue's filters as a GET form: `next/form` turns a submit into a client-side
 * navigation to /queue?…, so the URL is the only state (reload and bookmark safe).
 * Selects apply at once; text and number fields on Enter or "Apply". A new filter always
 * starts at the first page (no cursor field).
 */
export function QueueFilters({ values, clusters }: { values: Record<string, string>; clusters: string[] }) {
  const form = useRef<HTMLFormElement>(null);
  const submit = () => form.current?.requestSubmit();
  const v = (k: string) => values[k] ?? "";
  return (
    <Form ref={form} action="/queue" aria-label="Queue filters" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <FilterSelect name="status" label="Status" value={v("status") || "open"} onChange={submit} options={Object.entries(QUEUE_STATUSES)} />
      <FilterSelect name="kind" label="Kind" any="All" value={v("kind")} onChange={submit} options={Object.entries(QUEUE_KINDS)} />
      <FilterSelect name="reason" label="Reason" any="Any" value={v("reason")} onChange={submit} options={REASON_CODES.map((c) => [c, c])} />
      <FilterSelect name="flag" label="Flag" any="Any" value={v("flag")} onChange={submit} options={FLAG_CODES.map((c) => [c, c])} />
      <FilterSelect name="cluster" label="Cluster" any="Any" value={v("cluster")} onChange={submit} options={clusters.map((c) => [c, c])} />
      <Labelled label="Batch" htmlFor="f-batch">
        <input id="f-batch" name="batch" defaultValue={v("batch")} placeholder="batch id" className={`${selectClass} w-32 font-mono`} />
      </Labelled>
      <Labelled label="Scorer version" htmlFor="f-scorer">
        <input id="f-scorer" name="scorer" defaultValue={v("scorer")} placeholder="any" className={`${selectClass} w-36 font-mono`} />
      </Labelled>
      <fieldset className="flex items-end gap-1">
        <legend className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">Confidence</legend>
        <input aria-label="Confidence from" name="confMin" type="number" step="0.01" min="0" max="1" defaultValue={v("confMin")} placeholder="0" className={inputClass} />
        <span className="pb-1.5 text-zinc-400">–</span>
        <input aria-label="Confidence to" name="confMax" type="number" step="0.01" min="0" max="1" defaultValue={v("confMax")} placeholder="1" className={inputClass} />
      </fieldset>
      <fieldset className="flex items-end gap-1">
        <legend className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">Fragility score</legend>
        <input aria-label="Fragility from" name="fragMin" type="number" step="0.1" defaultValue={v("fragMin")} placeholder="min" className={inputClass} />
        <span className="pb-1.5 text-zinc-400">–</span>
        <input aria-label="Fragility to" name="fragMax" type="number" step="0.1" defaultValue={v("fragMax")} placeholder="max" className={inputClass} />
      </fieldset>
      <FilterSelect name="sort" label="Order" value={v("sort") || "triage"} onChange={submit} options={QUEUE_SORT_KEYS.map((k) => [k, QUEUE_SORTS[k].label])} />
      <FilterSelect
        name="dir"
        label="Direction"
        any="Default"
        value={v("dir")}
        onChange={submit}
        options={[
          ["asc", "Ascending"],
          ["desc", "Descending"],
        ]}
      />
      <div className="ml-auto flex items-center gap-2">
        <button type="submit" className="h-8 rounded-md bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-500">
          Apply
        </button>
        <Link prefetch={false} href="/queue" className="h-8 rounded px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
          Clear
        </Link>
      </div>
    </Form>
  );
}
