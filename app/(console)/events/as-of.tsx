"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * The as-of picker: replays the events pages at a past instant (read-only). The instant
 * lives in the address (`asOf`, ISO-8601 UTC), so a past view can be shared and reloaded.
 */
export function AsOfPicker({ asOf, past }: { asOf: string; past: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  const [value, setValue] = useState(past ? asOf.slice(0, 16) : "");
  const go = (next: string | null) => {
    const query = new URLSearchParams(params.toString());
    if (next) query.set("asOf", next);
    else query.delete("asOf");
    router.push(`?${query.toString()}`);
  };
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (value) go(new Date(`${value}:00Z`).toISOString());
      }}
    >
      <label className="text-sm">
        <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">As of (UTC)</span>
        <input
          type="datetime-local"
          aria-label="As of (UTC)"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
      </label>
      <Button type="submit" variant="secondary" disabled={!value}>
        Replay
      </Button>
      {past ? (
        <Button variant="ghost" onClick={() => go(null)}>
          Back to now
        </Button>
      ) : null}
    </form>
  );
}
