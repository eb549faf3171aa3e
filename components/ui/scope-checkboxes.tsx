import { API_SCOPE_DESCRIPTIONS, API_SCOPES, type ApiScope } from "@/lib/auth/permissions";

/** The closed scope enum as a labelled checkbox group. */
export function ScopeCheckboxes({ name, legend, defaultChecked = [], errors }: { name: string; legend: string; defaultChecked?: ApiScope[]; errors?: string[] }) {
  return (
    <fieldset className="space-y-1.5" aria-describedby={errors?.length ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{legend}</legend>
      {API_SCOPES.map((s) => (
        <label key={s} className="flex items-start gap-2 text-sm">
          <input type="checkbox" name={name} value={s} defaultChecked={defaultChecked.includes(s)} className="mt-0.5 size-4 accent-indigo-600" />
          <span>
            <span className="font-mono text-xs">{s}</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">{API_SCOPE_DESCRIPTIONS[s]}</span>
          </span>
        </label>
      ))}
      {errors?.length ? (
        <p id={`${name}-error`} className="text-xs text-red-700 dark:text-red-400">
          Scopes: {errors.join("; ")}
        </p>
      ) : null}
    </fieldset>
  );
}
