import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { PolicyStatus } from "@/lib/data/policy-changes";
import type { PolicyDiffLine } from "@/lib/governance/policy-change";

export const LINK = "text-sky-700 hover:underline dark:text-sky-400";
export const utc = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");

const STATUS_TONE: Record<PolicyStatus, BadgeTone> = { active: "green", proposed: "amber", rejected: "red", retired: "neutral", stored: "neutral" };

export function PolicyStatusBadge({ status }: { status: PolicyStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]} className="whitespace-nowrap">
      {status === "proposed" ? "waiting for approval" : status}
    </Badge>
  );
}

/** What differs between two snapshots, one line per value, grouped as the diff names them. */
export function PolicyDiffTable({ lines, label, empty }: { lines: readonly PolicyDiffLine[]; label: string; empty: string }) {
  if (lines.length === 0) return <p className="rounded border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700">{empty}</p>;
  return (
    <Table label={label}>
      <thead>
        <tr>
          <Th>Section</Th>
          <Th>Value</Th>
          <Th className="text-right">Before</Th>
          <Th className="text-right">After</Th>
          <Th className="text-right">Change</Th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={`${l.section}-${l.name}`} data-testid={`diff-${l.name}`}>
            <Td className="text-zinc-500">{l.section}</Td>
            <Td className="font-mono text-xs">{l.name}</Td>
            <Td className="max-w-72 truncate text-right font-mono text-xs tabular-nums" title={l.before}>
              {l.before}
            </Td>
            <Td className="max-w-72 truncate text-right font-mono text-xs tabular-nums" title={l.after}>
              {l.after}
            </Td>
            <Td className="text-right text-xs tabular-nums">{l.change}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
