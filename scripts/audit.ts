/**
 * `npm run audit`: the production dependencies' known advisories (`npm audit --omit=dev`),
 * failing on any that docs/audit-allowlist.json does not list with a reason. When the
 * registry's advisory service cannot be reached (a closed network answers 405 or times
 * out), it says so and exits 0: no verdict is not a pass, and the log says which it was.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { z } from "zod";

const allowListSchema = z.object({
  advisories: z.array(
    z.object({
      /** the advisory's GHSA id or URL */
      id: z.string().min(1),
      package: z.string().min(1),
      reason: z.string().min(20, "must say why the advisory does not reach this product"),
      reviewed: z.iso.date(),
    }),
  ),
});

type Finding = { package: string; id: string; title: string; severity: string };

/** The advisories npm audit's JSON names, one per (package, advisory). */
export function findingsOf(report: { vulnerabilities?: Record<string, { via: unknown[] }> }): Finding[] {
  const out: Finding[] = [];
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of v.via) {
      if (typeof via !== "object" || via === null) continue; // a transitive mention; its own entry carries the advisory
      const a = via as { url?: string; source?: number; title?: string; severity?: string };
      out.push({ package: name, id: a.url ?? String(a.source), title: a.title ?? "", severity: a.severity ?? "unknown" });
    }
  }
  return out;
}

/** Findings not covered by the allow-list. */
export function unexplained(findings: Finding[], allowed: z.infer<typeof allowListSchema>): Finding[] {
  return findings.filter((f) => !allowed.advisories.some((a) => a.package === f.package && f.id.includes(a.id)));
}

function main(): number {
  const allowed = allowListSchema.parse(JSON.parse(fs.readFileSync("docs/audit-allowlist.json", "utf8")));
  const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
  let report: { vulnerabilities?: Record<string, { via: unknown[] }>; error?: { summary?: string }; message?: string };
  try {
    report = JSON.parse(run.stdout || "{}");
  } catch {
    report = {};
  }
  if (report.error || run.error || !report.vulnerabilities) {
    const why = report.error?.summary || report.message || run.error?.message || run.stderr.trim().split("\n").pop() || "no report";
    console.log(`[audit] not run: the advisory service could not be reached (${why}). No verdict on dependencies.`);
    return 0;
  }
  const findings = findingsOf(report);
  const open = unexplained(findings, allowed);
  console.log(`[audit] ${findings.length} advisories in production dependencies, ${findings.length - open.length} allowed by docs/audit-allowlist.json`);
  for (const f of open) console.log(`[audit] NOT ALLOWED: ${f.package} ${f.severity} ${f.id} ${f.title}`);
  return open.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
