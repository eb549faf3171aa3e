import type { ReactNode } from "react";

export function PageHeader({ title, description, count, actions }: { title: string; description?: string; count?: number; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-3 border-b border-zinc-200 pb-4 dark:border-zinc-800">
      <div>
        <h1 className="text-xl font-semibold text-zinc-900 dark:text-zinc-50">
          {title}
          {count !== undefined ? (
            <span className="tabular ml-2 text-base font-normal text-zinc-500 dark:text-zinc-400">{count.toLocaleString("en-US")}</span>
          ) : null}
        </h1>
        {description ? <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </header>
  );
}
