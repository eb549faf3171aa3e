"use client";

import { Bookmark, Users, X } from "lucide-react";
import Link from "next/link";
import { Field, Input } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useAction } from "@/components/ui/use-action";
import { deleteViewAction, saveViewAction } from "@/lib/actions/saved-views";
import type { SavedView } from "@/lib/data/saved-views";
import { cn } from "@/lib/cn";

/**
 * The person's saved views and the team's shared ones as links, the current one marked;
 * save the current view (a lead may share it with the team); delete one's own.
 */
export function SavedViews({ views, current, canShare }: { views: SavedView[]; current: string; canShare: boolean }) {
  const save = useAction(saveViewAction);
  const remove = useAction(deleteViewAction);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" aria-label="Saved views" role="group">
      <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Saved views</span>
      {views.length === 0 ? <span className="text-xs text-zinc-400">none yet — set filters, then save the view</span> : null}
      {views.map((v) => (
        <span
          key={v.id}
          className={cn(
            "inline-flex items-center rounded-full border pl-2.5 text-xs",
            v.query === current ? "border-sky-400 bg-sky-50 dark:border-sky-700 dark:bg-sky-950" : "border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900",
          )}
        >
          <Link
            prefetch={false}
            href={v.query ? `/queue?${v.query}` : "/queue"}
            className={cn("py-1 hover:underline", v.sharedBy && "pr-2.5")}
            aria-current={v.query === current ? "page" : undefined}
            title={v.sharedBy ? `Shared with the team by ${v.sharedBy}` : v.shared ? "Shared with the team" : "Only you see this view"}
          >
            {v.shared ? <Users aria-label="shared" className="mr-1 inline size-3 align-[-2px] text-zinc-500" /> : null}
            {v.name}
            {v.sharedBy ? <span className="text-zinc-500"> · {v.sharedBy}</span> : null}
          </Link>
          {v.sharedBy ? null : (
          <button
            type="button"
            aria-label={`Delete the view ${v.name}`}
            className="ml-1 rounded-full p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800"
            disabled={remove.pending}
            onClick={() => remove.run({ id: v.id }, { success: `Deleted the view "${v.name}"` })}
          >
            <X aria-hidden className="size-3" />
          </button>
          )}
        </span>
      ))}
      <FormDialog
        trigger={
          <>
            <Bookmark aria-hidden className="size-3.5" /> Save this view
          </>
        }
        triggerProps={{ variant: "secondary", size: "sm" }}
        title="Save this view"
        submitLabel="Save view"
        pending={save.pending}
        fieldErrors={save.fieldErrors}
        onClose={save.reset}
        onSubmit={(f, close) => save.run({ name: String(f.get("name")), query: current, shared: f.get("shared") === "on" }, { success: "View saved", onSuccess: close })}
      >
        <Field id="sv-name" label="Name" errors={save.fieldErrors.name ?? save.fieldErrors.query} hint={canShare ? "Only you see it unless you share it." : "Only you see your saved views."}>
          <Input id="sv-name" name="name" autoFocus maxLength={60} aria-invalid={!!(save.fieldErrors.name ?? save.fieldErrors.query)} />
        </Field>
        {canShare ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="shared" /> Share with the team (everyone sees it beside their own views)
          </label>
        ) : null}
      </FormDialog>
    </div>
  );
}
