/**
 * Calibration (spec/gating.md §7): trains the reference scorer and builds a policy
 * snapshot from labelled reference data, then prints the report. Deterministic: the
 * shipped data gives the committed `models/reference-scorer.json` and
 * `models/default-policy.json` byte for byte (`--check` verifies that).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calibrate, CalibrationInputError } from "@/lib/calibration/calibrate";
import { buildOwnModelCards, MODEL_CARDS_FILE, PERMUTATIONS } from "@/lib/calibration/model-cards";
import { renderCalibrationReport } from "@/lib/calibration/report";
import { parseCli, runCli, seedOption } from "@/lib/cli/options";
import { QUALITY_BAR } from "@/lib/scorer/train";

const USAGE = `Usage: npm run calibrate -- [options]

Builds a policy snapshot from a labelled Spaceship Titanic CSV split by passenger group
into training 60 % (the reference scorer, cluster and global statistics, θ, the GLM
fallback, the audit-priority model), calibration 20 % (the per-feature cap, varBase, and
CS_ACCEPT by the release guarantee: error among auto-released records ≤
TARGET_RELEASE_ERROR with probability ≥ 1 − RELEASE_DELTA) and test 20 % (nothing fitted;
every report figure). Writes the snapshot and the scorer artifact and prints the report
(flag rates, scorer and GLM test quality, canary signatures, routing and the §11
routing-quality figures in batches of 1, 10 and 100 against the uncertainty baseline,
audit priority), then the model cards of the scorer and the GLM fallback (test-part figures
and the gauntlet: shift grid, ${PERMUTATIONS} label permutations, reproducibility, ablations, each a
refit of the model's recipe). Run it from the project root: the input path is recorded relative to the
working directory. Takes about five minutes; --no-cards skips the cards and takes about one.

Options:
  --input <csv>          labelled reference CSV (default data/spaceship-titanic/train.csv)
  --out <json>           policy snapshot to write (default models/default-policy.json)
  --scorer-out <json>    scorer artifact to write (default models/reference-scorer.json)
  --cards-out <json>     model cards to write (default ${MODEL_CARDS_FILE}); the server registers
                         a version it has not seen at its next start
  --no-cards             skip the model cards (the policy and scorer only)
  --report <file>        also write the report text to this file
  --report-json <file>   also write the report as JSON (full precision)
  --seed <n>             scorer ensemble seed, integer ≥ 0 (default 42)
  --split-seed <n>       seed of the training / calibration / test split (default 42)
  --check                write nothing; exit 1 unless --out, --scorer-out and (without
                         --no-cards) --cards-out already hold exactly what this run produces
                         (the reproducibility check)
  -h, --help             this help

Exit codes: 0 done; 1 scorer below the quality bar (5-fold AUC ≥ ${QUALITY_BAR.auc}, accuracy ≥
${QUALITY_BAR.accuracy}) or --check mismatch; 2 bad usage or unreadable / invalid input.
`;

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * The model cards' file. A card whose figures are unchanged keeps its earlier `createdAt`,
 * so calibrating the same data again rewrites nothing (and --check can compare bytes).
 */
function modelCardsJson(result: ReturnType<typeof calibrate>, csv: Uint8Array, previousText: string | null): string {
  const now = new Date().toISOString();
  const cards = buildOwnModelCards({
    result,
    csv,
    createdAt: now,
    onProgress: (p) => process.stderr.write(`model card ${p.model}: ${p.step} (${p.done}/${p.of})\n`),
  });
  const previous: { model: string; version: string; createdAt: string }[] = previousText === null ? [] : JSON.parse(previousText);
  const same = (a: object, b: object) => JSON.stringify({ ...a, createdAt: "" }) === JSON.stringify({ ...b, createdAt: "" });
  const kept = cards.map((card) => {
    const earlier = previous.find((p) => p.model === card.model && p.version === card.version);
    return earlier && same(earlier, card) ? { ...card, createdAt: earlier.createdAt } : card;
  });
  return `${JSON.stringify(kept, null, 2)}\n`;
}

function main(): number {
  const values = parseCli(
    {
      input: { type: "string", default: "data/spaceship-titanic/train.csv" },
      out: { type: "string", default: "models/default-policy.json" },
      "scorer-out": { type: "string", default: "models/reference-scorer.json" },
      "cards-out": { type: "string", default: MODEL_CARDS_FILE },
      "no-cards": { type: "boolean", default: false },
      report: { type: "string" },
      "report-json": { type: "string" },
      seed: { type: "string" },
      "split-seed": { type: "string" },
      check: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!values) return 0;
  const seed = seedOption(values.seed, "seed");
  const splitSeed = seedOption(values["split-seed"], "split-seed");
  const started = performance.now();
  const result = calibrate({
    csv: readFileSync(values.input),
    dataFile: path.relative(process.cwd(), path.resolve(values.input)).split(path.sep).join("/"),
    seed,
    splitSeed,
    onProgress: (p) => {
      const lines: Record<string, string> = {
        statistics: "reference statistics and θ",
        glm: "GLM fallback (elastic net, 5-fold group CV)",
        guarantee: "release guarantee on the calibration part (CS_ACCEPT)",
        auditPriority: "audit-priority model on the training part's out-of-fold errors",
        routing: "routing the test part in batches of 1, 10, 100",
        final: "fitting the final scorer on the training split",
      };
      if (p.stage === "parsed") process.stderr.write(`read ${p.rows} rows: ${p.trainingRows} training, ${p.calibrationRows} calibration, ${p.testRows} test\n`);
      else if (p.stage === "fold") process.stderr.write(`scorer fold ${p.fold}/${p.of}: AUC ${p.metrics.auc.toFixed(4)}, accuracy ${p.metrics.accuracy.toFixed(4)}\n`);
      else process.stderr.write(`${lines[p.stage]}\n`);
    },
  });
  const text = renderCalibrationReport(result.report);
  process.stdout.write(text);

  if (!result.scorer.meetsQualityBar) {
    process.stderr.write("not written: the scorer's fold mean misses the quality bar\n");
    return 1;
  }
  const cardsJson = values["no-cards"] ? null : modelCardsJson(result, readFileSync(values.input), readOrNull(values["cards-out"]));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (values.check) {
    const stale = [
      [values.out, result.snapshotJson],
      [values["scorer-out"], result.scorer.json],
      ...(cardsJson === null ? [] : [[values["cards-out"], cardsJson]]),
    ].filter(([file, expected]) => readOrNull(file as string) !== expected);
    for (const [file] of stale) process.stderr.write(`${file} differs from what this calibration produces\n`);
    process.stderr.write(stale.length === 0 ? `check passed: the files are exactly what this run produces (${seconds} s)\n` : "");
    return stale.length === 0 ? 0 : 1;
  }
  write(values.out, result.snapshotJson);
  write(values["scorer-out"], result.scorer.json);
  if (cardsJson !== null) write(values["cards-out"], cardsJson);
  if (values.report) write(values.report, text);
  if (values["report-json"]) write(values["report-json"], `${JSON.stringify(result.report, null, 2)}\n`);
  process.stderr.write(`wrote ${values.out} (${result.snapshot.id}) and ${values["scorer-out"]} (${result.scorer.model.scorerVersion})${cardsJson === null ? "" : ` and ${values["cards-out"]}`} in ${seconds} s\n`);
  return 0;
}

runCli(main, USAGE, (error) => error instanceof CalibrationInputError);
