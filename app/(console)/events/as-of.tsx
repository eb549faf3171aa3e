"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatUtcMinute, parseUtcMinute, UTC_MINUTE_RULE } from "@/lib/format";

/**
 * The as-of picker: replays the events pages at a past instant (read-only). The instant is
 * typed as `YYYY-MM-DD HH:MM` in UTC (no browser-locale picker) and lives in the address
 * (`asOf`, ISO-8601 UTC), so a past view can be shared and reloaded.
 */
export function AsOfPicker({ asOf, past }: { asOf: string; past: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(past ? formatUtcMinute(asOf) : "");
  const [error, setError] = useState<string | null>(null);
  const go = (next: string | null) => {
    const query = new URLSearchParams(params.toString());
    if (next) query.set("asOf", next);
    else query.delete("asOf");
    router.push(`?${query.toString()}`);
  };
  return (
    <form
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const instant = parseUtcMinute(value);
        if (!instant) {
          setError(`As of ${UTC_MINUTE_RULE}`);
          input.current?.focus();
          return;
        }
        setError(null);
        go(instant);
      }}
    >
      <div className="text-sm">
        <label htmlFor={id} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          As of (UTC)
        </label>
        <input
          ref={input}
          id={id}
          value={value}
          placeholder="YYYY-MM-DD HH:MM"
          autoComplete="off"
          spellCheck={false}
          maxLength={16}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            if (error && parseUtcMinute(e.target.value)) setError(null);
          }}
          className="tabular h-9 w-40 rounded-md border border-zinc-300 bg-white px-2 text-sm aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
        {error ? (
          <p id={`${id}-error`} className="mt-0.5 max-w-56 text-xs text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="secondary" disabled={!value.trim()} className="mt-4">
        Replay
      </Button>
      {past ? (
        <Button variant="ghost" onClick={() => go(null)} className="mt-4">
          Back to now
        </Button>
      ) : null}
    </form>
  );
}
