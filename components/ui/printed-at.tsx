"use client";

import { useEffect, useState } from "react";
import { flushSync } from "react-dom";

/** An instant as ISO 8601 to the second, in UTC: 2026-12-07T11:53:20Z. */
const isoSecond = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/**
 * "Printed <ISO time> from Sentinel Review" on a printed page. The server renders the time of
 * the request; when the page is printed (the browser's beforeprint, or the print media
 * turning on) it becomes the time of printing, so the paper says when it was produced.
 */
export function PrintedAt({ renderedAt, className }: { renderedAt: string; className?: string }) {
  const [at, setAt] = useState(renderedAt);
  useEffect(() => {
    // flushSync: the browser lays the page out for print right after beforeprint returns.
    const now = () => flushSync(() => setAt(isoSecond(new Date())));
    const media = window.matchMedia("print");
    const onMedia = (e: MediaQueryListEvent) => {
      if (e.matches) now();
    };
    window.addEventListener("beforeprint", now);
    media.addEventListener("change", onMedia);
    return () => {
      window.removeEventListener("beforeprint", now);
      media.removeEventListener("change", onMedia);
    };
  }, []);
  return (
    <span className={className}>
      Printed{" "}
      <time dateTime={at} className="tabular" suppressHydrationWarning>
        {at}
      </time>{" "}
      from Sentinel Review
    </span>
  );
}

