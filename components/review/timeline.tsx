import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { LedgerEntryView } from "@/lib/data/ledger";
import type { ResultVersion } from "@/lib/data/results";
import { formatUtc } from "@/lib/format";
import { AMEND_REASON_LABELS, labelName, OVERRIDE_REASON_LABELS, type AmendReason, type OverrideReason } from "@/lib/validations/decision-labels";

type Item = { key: string; at: string; node: React.ReactNode };

function entryText(e: LedgerEntryView): { title: string; tone: BadgeTone; detail: string | null } {
  const after = (e.entry.after ?? {}) as { label?: boolean; until?: string; rerouted?: number; auto?: number; audit?: number };
  switch (e.entry.action) {
    case "confirm":
      return { title: `Confirmed ${labelName(Boolean(after.label))}`, tone: "green", detail: e.entry.reasonCode === "bulk" ? "bulk confirm by a lead" : e.entry.reasonText };
    case "override": {
      const reason = OVERRIDE_REASON_LABELS[e.entry.reasonCode as OverrideReason]?.label ?? e.entry.reasonCode;
      return { title: `Overrode to ${labelName(Boolean(after.label))} — ${reason}`, tone: "red", detail: e.entry.reasonText };
    }
    case "amend": {
      const reason = AMEND_REASON_LABELS[e.entry.reasonCode as AmendReason]?.label ?? e.entry.reasonCode;
      return { title: `Amended to ${labelName(Boolean(after.label))} — ${reason}`, tone: "violet", detail: e.entry.reasonText };
    }
    case "claim":
      return { title: `Claimed until ${after.until ? formatUtc(after.until) : "?"}`, tone: "neutral", detail: null };
    case "takeover":
      return { title: `Took over the claim, holding it until ${after.until ? formatUtc(after.until) : "?"}`, tone: "orange", detail: null };
    case "note":
      return { title: "Note", tone: "indigo", detail: e.entry.reasonText };
    case "release":
      return {
        title: `Released held batch ${e.subjectId}: ${after.rerouted ?? 0} records gated again (${after.audit ?? 0} to audit, ${after.auto ?? 0} auto)`,
        tone: "violet",
        detail: e.entry.reasonText,
      };
    default:
      return { title: e.entry.action, tone: "neutral", detail: e.entry.reasonText };
  }
}

/**
 * A record's whole story, newest first: its gating-result versions and every edit-log
 * entry about it or its batches, each entry with its chain position (seq and hash).
 */
export function Timeline({ versions, entries }: { versions: ResultVersion[]; entries: LedgerEntryView[] }) {
  const items: Item[] = [
    ...versions.map((v) => ({
      key: `v${v.version}`,
      at: v.createdAt,
      node: (
        <>
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium">Result v{v.version}</span>
            <Badge tone={v.route === "audit" ? "amber" : "green"}>{v.route}</Badge>
            <span className="text-xs text-zinc-500">
              machine {labelName(v.decision)} · batch <span className="font-mono whitespace-nowrap">{v.batchId}</span> · policy{" "}
              <span className="font-mono whitespace-nowrap">{v.policyId}</span>
              {v.causeSeq ? ` · gated again by entry #${v.causeSeq}` : ""} · {v.current ? "current" : "superseded"}
            </span>
          </p>
          {v.reasonCodes.length > 0 ? <p className="mt-0.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">{v.reasonCodes.join(", ")}</p> : null}
        </>
      ),
    })),
    ...entries.map((e) => {
      const t = entryText(e);
      return {
        key: `e${e.seq}`,
        at: e.entry.effectiveAt,
        node: (
          <>
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={t.tone}>{e.entry.action}</Badge>
              <span className="font-medium">{t.title}</span>
            </p>
            {t.detail ? <p className="mt-0.5 whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{t.detail}</p> : null}
            <p className="mt-0.5 text-xs text-zinc-500">
              {e.entry.actor.type === "user" ? `${e.actorName ?? "unknown user"} (${e.entry.actor.role})` : `system rule ${e.entry.actor.rule}`} · entry{" "}
              <span className="font-mono whitespace-nowrap" title={`hash ${e.hash}`}>
                #{e.seq} · {e.hash.slice(0, 10)}…
              </span>
            </p>
          </>
        ),
      };
    }),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.key.localeCompare(a.key));

  return (
    <ol aria-label="Timeline" className="space-y-3 border-l border-zinc-200 pl-4 text-sm dark:border-zinc-800">
      {items.map((item) => (
        <li key={item.key} data-testid={`timeline-${item.key}`} className="relative">
          <span aria-hidden className="absolute top-1.5 -left-[21px] size-2.5 rounded-full border-2 border-white bg-zinc-400 dark:border-zinc-900" />
          <Time value={item.at} className="text-xs text-zinc-500" />
          {item.node}
        </li>
      ))}
    </ol>
  );
}
