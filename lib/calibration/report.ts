/**
 * The calibration report (spec/gating.md §7) as plain text: what `npm run calibrate`
 * prints and what the golden test pins. Figures are rounded for reading; the JSON form
 * (`--report-json`) keeps full precision.
 */
import { FLAG_CODES, REASON_CODES } from "@/lib/gating";
import type { CalibrationReport } from "./calibrate";

function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)} %`;
}

function fixed(x: number, digits = 4): string {
  return x.toFixed(digits);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export function renderCalibrationReport(report: CalibrationReport): string {
  const { input, policy, scorer, glm } = report;
  const out: string[] = [];
  out.push("Calibration report (spec/gating.md §7)");
  out.push("");
  out.push(`input     ${input.dataFile} (sha256 ${input.sha256.slice(0, 16)}…), ${input.rows} rows`);
  out.push(`split     ${input.trainingRows} training / ${input.holdoutRows} holdout (20 % of passenger groups, holdout seed ${input.holdoutSeed}); scorer seed ${input.seed}`);
  out.push(`policy    ${policy.id}  sha256 ${policy.hash}`);
  out.push("");
  out.push("Thresholds");
  out.push(`  θ (fragility)         ${fixed(policy.theta)}   realised fragile rate ${pct(policy.realisedFragileRate)} (target ${pct(policy.targetFragileRate, 0)}), holdout ${pct(report.holdoutFragileRate)}`);
  out.push(`  CS_ACCEPT             ${fixed(policy.csAccept)}   non-fragile holdout below it ${pct(policy.realisedAuditRate)} (target ${pct(policy.targetAuditRate, 0)})`);
  out.push(`  varBase               ${fixed(policy.varBase)}   (median member-logit variance on the holdout)`);
  out.push(`  contributionsExpected ${policy.contributionsExpected}`);
  out.push("");
  out.push("Model quality");
  out.push(
    ...table(
      ["model", "5-fold AUC", "5-fold acc", "holdout AUC", "holdout Brier", "holdout acc"],
      [
        [`scorer ${scorer.version}`, fixed(scorer.foldMean.auc), fixed(scorer.foldMean.accuracy), fixed(scorer.holdout.auc), fixed(scorer.holdout.brier), fixed(scorer.holdout.accuracy)],
        [`GLM fallback`, fixed(glm.foldMean.auc), fixed(glm.foldMean.accuracy), fixed(glm.holdout.auc), fixed(glm.holdout.brier), fixed(glm.holdout.accuracy)],
      ],
    ).map((l) => `  ${l}`),
  );
  out.push(
    `  GLM: elastic net α ${glm.alpha}, λ ${glm.lambda.toExponential(3)} (${glm.lambdaIndex + 1} of ${glm.lambdaCount} on the path, by 5-fold group CV), ${glm.nonZero} of ${glm.features} coefficients non-zero`,
  );
  out.push("");
  out.push("Flag rates");
  out.push(
    ...table(
      ["flag", "training", "holdout"],
      FLAG_CODES.map((code) => [code, pct(report.flagRates.training[code]), pct(report.flagRates.holdout[code])]),
    ).map((l) => `  ${l}`),
  );
  out.push("");
  out.push("Routing on the holdout");
  const header = ["", ...report.routing.map((r) => `batch ${r.batchSize}`)];
  const rows: string[][] = [
    ["batches (held)", ...report.routing.map((r) => `${r.batches} (${r.heldBatches})`)],
    ["auto", ...report.routing.map((r) => `${r.auto}  ${pct(r.auto / r.records, 1)}`)],
    ["audit", ...report.routing.map((r) => `${r.audit}  ${pct(r.audit / r.records, 1)}`)],
    ["fragile", ...report.routing.map((r) => `${r.fragile}  ${pct(r.fragile / r.records, 1)}`)],
    ...REASON_CODES.map((code) => [`  ${code}`, ...report.routing.map((r) => String(r.reasons[code]))]),
  ];
  out.push(...table(header, rows).map((l) => `  ${l}`));
  out.push("  (reason rows count records carrying the reason; a record can carry several)");
  return `${out.join("\n")}\n`;
}
