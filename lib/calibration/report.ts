/**
 * The calibration report (spec/gating.md §7) as plain text: what `npm run calibrate`
 * prints and what the golden test pins. Figures are rounded for reading; the JSON form
 * (`--report-json`) keeps full precision.
 */
import { FLAG_CODES, REASON_CODES, type RoutingQuality } from "@/lib/gating";
import type { CalibrationReport } from "./calibrate";

function pct(x: number | null, digits = 2): string {
  return x === null ? "–" : `${(x * 100).toFixed(digits)} %`;
}

function fixed(x: number, digits = 4): string {
  return x.toFixed(digits);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/**
 * The §11 routing-quality table, one column per batch size: audit share, error capture
 * against the uncertainty baseline and the oracle at the same share, released error rate
 * with its Clopper–Pearson bound, lift; then per reason (records / errors / caught alone)
 * and per flag (records / errors / caught). Shared by the calibration report and
 * `npm run eval:routing`.
 */
export function renderRoutingQuality(runs: readonly { batchSize: number; quality: RoutingQuality }[], target: number): string[] {
  const header = ["", ...runs.map((r) => `batch ${r.batchSize}`)];
  const q = (f: (x: RoutingQuality) => string) => runs.map((r) => f(r.quality));
  const rows: string[][] = [
    ["records (model errors)", ...q((x) => `${x.records} (${x.errors}, ${pct(x.baseErrorRate, 1)})`)],
    ["audit share A", ...q((x) => `${x.audited}  ${pct(x.auditShare, 1)}`)],
    ["error capture EC", ...q((x) => `${x.caught}  ${pct(x.errorCapture, 1)}`)],
    ["  uncertainty baseline at A", ...q((x) => `${x.baseline.caught}  ${pct(x.baseline.errorCapture, 1)}`)],
    ["  oracle at A", ...q((x) => pct(x.oracle.errorCapture, 1))],
    ["  EC ≥ baseline", ...q((x) => ((x.errorCapture ?? 0) >= (x.baseline.errorCapture ?? 0) ? "yes" : "NO"))],
    ["lift EC / A", ...q((x) => (x.lift === null ? "–" : x.lift.toFixed(2)))],
    ["released error rate R", ...q((x) => `${x.releasedErrors}/${x.released}  ${pct(x.releasedErrorRate, 1)}`)],
    ["  95 % upper bound", ...q((x) => pct(x.releasedErrorUpper, 1))],
    [`  R ≤ target ${pct(target, 0)}`, ...q((x) => ((x.releasedErrorRate ?? 0) <= target ? "yes" : "NO"))],
    ["  baseline R at A", ...q((x) => pct(x.baseline.releasedErrorRate, 1))],
    ["by reason: records / errors / caught alone", ...runs.map(() => "")],
    ...REASON_CODES.map((code) => [`  ${code}`, ...q((x) => `${x.byReason[code].records} / ${x.byReason[code].errors} / ${x.byReason[code].caughtAlone}`)]),
    ["by flag: records / errors / caught", ...runs.map(() => "")],
    ...FLAG_CODES.map((code) => [`  ${code}`, ...q((x) => `${x.byFlag[code].records} / ${x.byFlag[code].errors} / ${x.byFlag[code].caught}`)]),
  ];
  const out = table(header, rows).map((l) => `  ${l}`);
  const first = runs[0]?.quality;
  if (first) {
    out.push("");
    out.push("  Risk–coverage of the uncertainty baseline (release the most confident share; batch-independent)");
    const points = first.riskCoverage.filter((p) => Math.round(p.coverage * 20) % 2 === 0);
    out.push(...table(["coverage", ...points.map((p) => pct(p.coverage, 0))], [["risk", ...points.map((p) => pct(p.risk, 1))]]).map((l) => `  ${l}`));
    out.push(`  policy operating points: ${runs.map((r) => `batch ${r.batchSize}: coverage ${pct(r.quality.operatingPoint.coverage, 1)}, risk ${pct(r.quality.operatingPoint.risk, 1)}`).join("; ")}`);
  }
  return out;
}

export function renderCalibrationReport(report: CalibrationReport): string {
  const { input, policy, scorer, glm, releaseGuarantee: g, auditPriority: ap } = report;
  const out: string[] = [];
  out.push("Calibration report (spec/gating.md §7, §11)");
  out.push("");
  out.push(`input     ${input.dataFile} (sha256 ${input.sha256.slice(0, 16)}…), ${input.rows} rows`);
  out.push(
    `split     ${input.trainingRows} training / ${input.calibrationRows} calibration / ${input.testRows} test (60 / 20 / 20 % of passenger groups, split seed ${input.splitSeed}); scorer seed ${input.seed}`,
  );
  out.push(`policy    ${policy.id}  sha256 ${policy.hash}`);
  out.push("");
  out.push("Thresholds");
  out.push(`  θ (fragility)         ${fixed(policy.theta)}   training records with score ≥ θ ${pct(policy.scoreFragileRate)} (target ${pct(policy.targetFragileRate, 0)})`);
  out.push(`  realisedFragileRate   ${fixed(policy.realisedFragileRate)}   fragile by score or canary on the training part (the batch-hold base rate); test ${pct(report.testFragileRate)}`);
  out.push(
    `  CAP_PER_FEATURE_LOGIT ${fixed(policy.capPerFeatureLogit)}   (${pct(1 - policy.capsTargetRate, 0)} quantile of the calibration part's largest |spend contribution|; CAPS_TRIGGERED on ${pct(report.flagRates.test.CAPS_TRIGGERED)} of the test part)`,
  );
  const last = g.tests[g.tests.length - 1];
  out.push(
    `  CS_ACCEPT             ${fixed(policy.csAccept)}   release guarantee on ${g.candidates} non-fragile calibration records: error among released ≤ ${pct(g.target, 0)} with probability ≥ ${pct(1 - g.delta, 0)}`,
  );
  out.push(
    g.reached
      ? `                        (${g.tests.length - 1} bars rejected from ${fixed(g.tests[0]!.bar, 3)} down; stopped at ${fixed(last!.bar, 3)}: ${last!.errors}/${last!.released} errors, p = ${last!.pValue.toFixed(3)})`
      : `                        NOT REACHED: even the strictest bar ${fixed(g.tests[0]!.bar, 3)} could not be shown to meet the target (${last!.errors}/${last!.released} errors, p = ${last!.pValue.toFixed(3)}); CS_ACCEPT is that bar`,
  );
  out.push(`  varBase               ${fixed(policy.varBase)}   (median member-logit variance on the calibration part)`);
  out.push(`  contributionsExpected ${policy.contributionsExpected}`);
  out.push("");
  out.push("Model quality (test part)");
  out.push(
    ...table(
      ["model", "5-fold AUC", "5-fold acc", "test AUC", "test Brier", "test acc"],
      [
        [`scorer ${scorer.version}`, fixed(scorer.foldMean.auc), fixed(scorer.foldMean.accuracy), fixed(scorer.test.auc), fixed(scorer.test.brier), fixed(scorer.test.accuracy)],
        [`GLM fallback`, fixed(glm.foldMean.auc), fixed(glm.foldMean.accuracy), fixed(glm.test.auc), fixed(glm.test.brier), fixed(glm.test.accuracy)],
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
      ["flag", "training", "test"],
      FLAG_CODES.map((code) => [code, pct(report.flagRates.training[code]), pct(report.flagRates.test[code])]),
    ).map((l) => `  ${l}`),
  );
  out.push("");
  out.push("Canary signatures (test part)");
  out.push(
    ...table(
      ["signature", "matches", "share", "model error rate"],
      report.signatures.map((sig) => [sig.name, String(sig.matches), pct(sig.share), pct(sig.errorRate, 1)]),
    ).map((l) => `  ${l}`),
  );
  out.push("");
  out.push("Routing on the test part");
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
  out.push("");
  out.push("Routing quality on the test part (§11)");
  out.push(...renderRoutingQuality(report.routing, g.target));
  out.push("");
  out.push("Audit priority (§11)");
  out.push(
    `  shipped: ${ap.shipped === "model" ? "the audit-priority model (fitted on the training part's out-of-fold errors)" : "the model's own confidence (the fitted audit-priority model did not find more errors)"}`,
  );
  out.push(`  audit-priority model: ${ap.nonZero} of ${ap.features} coefficients non-zero; error AUC in the test queue ${ap.errorAuc.model?.toFixed(4) ?? "–"} vs confidence ${ap.errorAuc.confidence?.toFixed(4) ?? "–"}`);
  out.push(
    ...table(
      ["first share of the queue (batch 100)", ...ap.yieldModel.map((p) => pct(p.share, 0))],
      [
        ["errors met, audit-priority model", ...ap.yieldModel.map((p) => `${p.byEstimate} of ${p.errorsInQueue}`)],
        ["errors met, model confidence", ...ap.yieldConfidence.map((p) => `${p.byEstimate} of ${p.errorsInQueue}`)],
      ],
    ).map((l) => `  ${l}`),
  );
  return `${out.join("\n")}\n`;
}
