"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { cn } from "@/lib/cn";

/** A small icon button that copies `value`; says what it copies to screen readers and on hover, and shows a check once done. */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      title={copied ? "Copied" : label}
      onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      className={cn(
        "inline-flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
        className,
      )}
    >
      {copied ? <Check aria-hidden className="size-3.5 text-emerald-700 dark:text-emerald-400" /> : <Copy aria-hidden className="size-3.5" />}
      <span aria-live="polite" className="sr-only">
        {copied ? "Copied" : ""}
      </span>
    </button>
  );
}
