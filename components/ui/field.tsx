import { forwardRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

const control =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...props }, ref) {
  return <input ref={ref} className={cn(control, "h-9", className)} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select({ className, ...props }, ref) {
  return <select ref={ref} className={cn(control, "h-9 pr-8", className)} {...props} />;
});

/** A labelled form field with its inline errors, linked for screen readers. */
export function Field({ id, label, hint, errors, children }: { id: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children}
      {hint && !errors?.length ? <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p> : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
          {label} {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

/** Every field error a refused form came back with, under a heading, so none hides behind a field the page does not show. */
export function FieldErrorSummary({ title, errors }: { title: string; errors: readonly (readonly [string, readonly string[]])[] }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300">
      <p className="font-medium">{title}</p>
      <ul className="mt-1 list-disc pl-5">
        {errors.map(([k, v]) => (
          <li key={k}>
            <span className="font-mono text-xs">{k}</span> {v.join("; ")}
          </li>
        ))}
      </ul>
    </div>
  );
}
