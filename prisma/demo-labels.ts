/**
 * Demo label feedback: the real outcomes (`Transported`) of the shipped file for the
 * first LABELLED_ROWS passengers in file order — the demo batches are ingested in file
 * order, so these are the older batches, whose outcomes "have arrived"; the newest third
 * has none yet. Sent through the same data-layer function as POST /api/v1/labels, as the
 * operator, in requests of 2,000; a re-run (an interrupted first start) changes nothing.
 */
import type { Actor } from "@/lib/auth/actor";
import { ingestLabels } from "@/lib/data/labels";
import { referenceRows } from "@/lib/reference-data";

export const LABELLED_ROWS = 6000;
export const DEMO_LABEL_SOURCE = "reference-outcomes";
const PER_REQUEST = 2000;

/** The demo's labels: record id and outcome of the first LABELLED_ROWS rows of the shipped file. */
export function demoLabels(): { recordId: string; label: boolean }[] {
  return referenceRows()
    .slice(0, LABELLED_ROWS)
    .flatMap((row) => (row.label === null ? [] : [{ recordId: row.recordId, label: row.label }]));
}

export async function ingestDemoLabels(actor: Actor, observedAt = new Date().toISOString()): Promise<{ labels: number; written: number }> {
  const labels = demoLabels().map((l) => ({ ...l, observedAt, source: DEMO_LABEL_SOURCE }));
  let written = 0;
  for (let i = 0; i < labels.length; i += PER_REQUEST) {
    const { summary } = await ingestLabels(actor, { body: JSON.stringify({ labels: labels.slice(i, i + PER_REQUEST) }), contentType: "application/json" });
    written += summary.written;
  }
  return { labels: labels.length, written };
}
