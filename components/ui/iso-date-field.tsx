"use client";

import { useId, useState } from "react";
import { cn } from "@/lib/cn";
import { ISO_DATE_RULE, parseIsoDate } from "@/lib/format";

/**
 * A date typed as `YYYY-MM-DD` (UK data read in a US browser's mm/dd/yyyy would swap day
 * and month). Anything else is refused inline naming the rule, and the form it is in does
 * not submit (the browser's constraint check, with its bubble replaced by the inline error).
 */
export function IsoDateField({ name, label, defaultValue = "", className }: { name: string; label: string; defaultValue?: string; className?: string }) {
  const id = useId();
  const invalid = (v: string) => v.trim() !== "" && parseIsoDate(v) === null;
  // A bad value in the address is shown as wrong at once; a typed one once the field is left.
  const [shown, setShown] = useState(invalid(defaultValue));
  const [value, setValue] = useState(defaultValue);
  const bad = invalid(value);
  const message = `${label} ${ISO_DATE_RULE}`;
  return (
    <div className="relative">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label}
      </label>
      <input
        id={id}
        name={name}
        value={value}
        placeholder="YYYY-MM-DD"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={10}
        aria-invalid={shown && bad}
        aria-describedby={shown && bad ? `${id}-error` : undefined}
        ref={(el) => el?.setCustomValidity(bad ? message : "")}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => setShown(true)}
        onInvalid={(e) => {
          e.preventDefault();
          setShown(true);
          e.currentTarget.focus();
        }}
        className={cn("tabular w-28 aria-[invalid=true]:border-red-500", className)}
      />
      {shown && bad ? (
        // Below the field without moving the row (the form's submit button stays where the pointer is).
        <p id={`${id}-error`} className="absolute top-full right-0 z-10 mt-0.5 w-72 rounded bg-white/95 px-1 text-xs text-red-700 shadow-sm dark:bg-zinc-950/95 dark:text-red-400">
          {/* the rule's dates never break at their hyphens */}
          {message.split(/(\d{4}-\d{2}-\d{2}|YYYY-MM-DD)/).map((part, i) => (i % 2 ? <span key={i} className="whitespace-nowrap">{part}</span> : part))}
        </p>
      ) : null}
    </div>
  );
}
