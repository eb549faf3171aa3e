"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/lib/format";
import { ACTION_VERBS } from "@/lib/validations/decision-labels";

/** How often an open page asks whether someone else acted (while the tab is visible). */
const POLL_MS = 2500;

function ago(at: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  return s < 60 ? `${s} s ago` : formatRelative(at, new Date(now));
}

/** Polls `url` every POLL_MS while the tab is visible (and once when it becomes visible again). */
function usePoll(url: () => string, onData: (data: unknown) => void) {
  const latest = useRef({ url, onData });
  useEffect(() => {
    latest.current = { url, onData };
  });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function tick() {
      if (stopped) return;
      if (document.visibilityState === "visible") {
        try {
          const response = await fetch(latest.current.url(), { cache: "no-store", headers: { accept: "application/json" } });
          if (response.ok && !stopped) latest.current.onData(await response.json());
        } catch {
          // offline or restarting: the next tick tries again
        }
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    }
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      clearTimeout(timer);
      void tick();
    };
    timer = setTimeout(tick, POLL_MS);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
}

/** The tick that keeps "3 s ago" current while a notice shows. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

type Latest = { seq: string; action: string; actorId: string | null; name: string | null; at: string };

/**
 * The record page learns within a few seconds that someone else acted on the record
 * (claimed, took over, decided, amended, noted): it polls the record's version and says
 * who did what, with a reload — instead of the analyst finding out by a refused submit.
 * The analyst's own actions refresh the page themselves and are not announced.
 */
export function RecordLiveUpdates({ recordId, version, selfId }: { recordId: string; version: number; selfId: string }) {
  const router = useRouter();
  const [change, setChange] = useState<{ base: number; latest: Latest } | null>(null);
  usePoll(
    () => `/queue/${encodeURIComponent(recordId)}/version`,
    (data) => {
      const d = data as { version: number; latest: Latest | null };
      if (d.version > version && d.latest && d.latest.actorId !== selfId) setChange({ base: version, latest: d.latest });
    },
  );
  const now = useNow(change !== null);
  // A newer render of the page (a reload, or the analyst's own action) carries the news itself.
  const shown = change !== null && change.base === version ? change.latest : null;
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      {shown ? (
        <div data-testid="live-notice" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100">
          <span>
            <strong className="font-medium">{shown.name ?? "Someone"}</strong> {ACTION_VERBS[shown.action] ?? shown.action} this record {ago(shown.at, now)}{" "}
            <span className="font-mono text-xs whitespace-nowrap">(entry #{shown.seq})</span>.
          </span>
          <Button size="sm" variant="secondary" onClick={() => router.refresh()}>
            <RefreshCw aria-hidden className="size-3.5" /> Reload
          </Button>
        </div>
      ) : null}
    </div>
  );
}

type Change = { seq: string; recordId: string; action: string; actorId: string | null; name: string | null; at: string };

/**
 * The queue page learns within a few seconds that someone else claimed or decided records:
 * it polls the activity after the chain position it last saw and lists who did what, with a
 * reload (the table itself is not reshuffled under the analyst's cursor).
 */
export function QueueLiveUpdates({ selfId }: { selfId: string }) {
  const router = useRouter();
  const since = useRef<string | null>(null);
  const [changes, setChanges] = useState<Change[]>([]);
  usePoll(
    () => (since.current === null ? "/activity" : `/activity?since=${since.current}`),
    (data) => {
      const d = data as { head: string; changes: Change[] };
      since.current = d.head;
      const others = d.changes.filter((c) => c.actorId !== selfId);
      if (others.length > 0) setChanges((prev) => [...others, ...prev].slice(0, 20));
    },
  );
  const now = useNow(changes.length > 0);
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      {changes.length > 0 ? (
        <div data-testid="live-notice" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100">
          <ul className="space-y-0.5">
            {changes.slice(0, 3).map((c) => (
              <li key={c.seq}>
                <strong className="font-medium">{c.name ?? "Someone"}</strong> {ACTION_VERBS[c.action] ?? c.action}{" "}
                <a href={`/queue/${encodeURIComponent(c.recordId)}`} className="font-mono text-xs whitespace-nowrap text-sky-700 hover:underline dark:text-sky-300">
                  {c.recordId}
                </a>{" "}
                {ago(c.at, now)}
              </li>
            ))}
            {changes.length > 3 ? <li className="text-xs">and {changes.length - 3} more</li> : null}
          </ul>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setChanges([]);
              router.refresh();
            }}
          >
            <RefreshCw aria-hidden className="size-3.5" /> Reload
          </Button>
        </div>
      ) : null}
    </div>
  );
}
