import { CAUSE_CATEGORIES, type CauseCategory } from "@/lib/mrs/taxonomy";

/**
 * Events in the override register (governance spec §3): the machine's cause against the
 * cause a person decided, and how often each machine cause is overturned. Counted over
 * events a person (not weekend mode) confirmed or overrode; a finalisation that names a
 * cause counts too.
 */

export interface DecidedEventCause {
  machineCauseCategory: CauseCategory;
  analystCauseCategory: CauseCategory | null;
  decidedByType: "user" | "system" | null;
}

export interface CauseConfusion {
  /** the categories that occur, in taxonomy order */
  categories: CauseCategory[];
  /** events per machine cause (row) and analyst cause (column) */
  cells: Partial<Record<CauseCategory, Partial<Record<CauseCategory, number>>>>;
  byMachine: { machine: CauseCategory; decided: number; overturned: number; rate: number }[];
  decided: number;
  overturned: number;
}

export function causeConfusion(events: readonly DecidedEventCause[]): CauseConfusion {
  const cells: CauseConfusion["cells"] = {};
  const seen = new Set<CauseCategory>();
  let decided = 0;
  let overturned = 0;
  for (const e of events) {
    if (e.decidedByType !== "user" || e.analystCauseCategory === null) continue;
    const row = (cells[e.machineCauseCategory] ??= {});
    row[e.analystCauseCategory] = (row[e.analystCauseCategory] ?? 0) + 1;
    seen.add(e.machineCauseCategory).add(e.analystCauseCategory);
    decided++;
    if (e.analystCauseCategory !== e.machineCauseCategory) overturned++;
  }
  const categories = CAUSE_CATEGORIES.filter((c) => seen.has(c));
  const byMachine = categories
    .filter((m) => cells[m])
    .map((machine) => {
      const row = cells[machine]!;
      const n = Object.values(row).reduce((a, b) => a + b, 0);
      const kept = row[machine] ?? 0;
      return { machine, decided: n, overturned: n - kept, rate: (n - kept) / n };
    });
  return { categories, cells, byMachine, decided, overturned };
}
