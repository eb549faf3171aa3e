import Form from "next/form";
import { Button } from "@/components/ui/button";
import { TRAIL_SUBJECTS, type TrailSubject } from "@/lib/ledger/entry";

/** Open any subject's trail by type and id (a plain GET form: /governance/trail?type=…&id=…). */
export function TrailLookup({ type = "record", id = "" }: { type?: TrailSubject; id?: string }) {
  return (
    <Form action="/governance/trail" className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Subject</span>
        <select name="type" defaultValue={type} className="h-9 rounded-md border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900">
          {TRAIL_SUBJECTS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Id</span>
        <input name="id" required defaultValue={id} placeholder="e.g. 0254_01" className="h-9 w-72 rounded-md border border-zinc-300 bg-white px-2 font-mono dark:border-zinc-700 dark:bg-zinc-900" />
      </label>
      <Button type="submit" variant="secondary">
        Open trail
      </Button>
    </Form>
  );
}
