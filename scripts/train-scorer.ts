/**
 * Trains the reference scorer (spec/gating.md §5a) and writes its JSON artifact.
 * Deterministic: the same input file and seeds give a byte-identical artifact. Progress
 * goes to stderr; the last stdout line is a JSON summary (fold and test-part metrics,
 * training time). Refuses to write a model below the §5a quality bar.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseCli, runCli, seedOption } from "@/lib/cli/options";
import { CsvRowError } from "@/lib/scorer/csv-rows";
import { QUALITY_BAR, trainReferenceScorer } from "@/lib/scorer/train";

const USAGE = `Usage: npx tsx scripts/train-scorer.ts [options]

Trains the reference scorer (an ensemble of 10 gradient-boosted tree models with Saabas
logit contributions), evaluates it on 5 passenger-group folds of the training 80 % and
on the §7 test part (20 % of passenger groups; training is 60 %, calibration 20 %), and writes the artifact. Run it from the
project root: the input path is recorded in the artifact relative to the working directory.

Options:
  --input <csv>          labelled Spaceship Titanic CSV (default data/spaceship-titanic/train.csv)
  --out <json>           artifact to write (default models/reference-scorer.json)
  --seed <n>             ensemble seed, integer ≥ 0 (default 42)
  --split-seed <n>       seed of the §7 split hash; calibration must use the same (default 42)
  --check                write nothing; exit 1 unless --out already holds exactly the artifact
                         this run produces (the reproducibility check)
  -h, --help             this help

Exit codes: 0 done; 1 quality bar missed (AUC ≥ ${QUALITY_BAR.auc}, accuracy ≥ ${QUALITY_BAR.accuracy}
over the folds) or --check mismatch; 2 bad usage or unreadable input.
`;

function main(): number {
  const values = parseCli(
    {
      input: { type: "string", default: "data/spaceship-titanic/train.csv" },
      out: { type: "string", default: "models/reference-scorer.json" },
      seed: { type: "string" },
      "split-seed": { type: "string" },
      check: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (!values) return 0;
  const seed = seedOption(values.seed, "seed");
  const splitSeed = seedOption(values["split-seed"], "split-seed");
  const input = values.input;
  const out = values.out;

  const started = performance.now();
  const csv = readFileSync(input);
  const result = trainReferenceScorer({
    csv,
    // Stored relative to the working directory with forward slashes, so the artifact does not depend on where the clone lives.
    dataFile: path.relative(process.cwd(), path.resolve(input)).split(path.sep).join("/"),
    seed,
    splitSeed,
    onProgress: (progress) => {
      if (progress.stage === "parsed") {
        process.stderr.write(`read ${progress.rows} rows: ${progress.trainingRows} training, ${progress.calibrationRows} calibration, ${progress.testRows} test\n`);
      } else if (progress.stage === "fold") {
        const m = progress.metrics;
        process.stderr.write(`fold ${progress.fold}/${progress.of}: AUC ${m.auc.toFixed(4)}, accuracy ${m.accuracy.toFixed(4)}, Brier ${m.brier.toFixed(4)}\n`);
      } else {
        process.stderr.write("fitting the final ensemble on the training split\n");
      }
    },
  });
  const trainingSeconds = Math.round((performance.now() - started) / 10) / 100;

  let outcome: "written" | "identical" | "differs" | "below quality bar";
  if (!result.meetsQualityBar) outcome = "below quality bar";
  else if (values.check) {
    let existing: string | null = null;
    try {
      existing = readFileSync(out, "utf8");
    } catch {
      existing = null;
    }
    outcome = existing === result.json ? "identical" : "differs";
  } else {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, result.json);
    outcome = "written";
  }
  const summary = {
    outcome,
    artifact: out,
    scorerVersion: result.model.scorerVersion,
    artifactBytes: Buffer.byteLength(result.json),
    seed,
    splitSeed,
    folds: result.metrics.folds,
    foldMean: result.metrics.foldMean,
    qualityBar: QUALITY_BAR,
    test: result.metrics.test,
    trainingSeconds,
  };
  if (outcome === "below quality bar") process.stderr.write(`not written: the fold mean misses the quality bar\n`);
  if (outcome === "differs") process.stderr.write(`${out} differs from the artifact this run produces\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return outcome === "written" || outcome === "identical" ? 0 : 1;
}

runCli(main, USAGE, (error) => error instanceof CsvRowError);
