/**
 * Routing-quality evaluation (spec/gating.md §11): how many of the model's errors does a
 * policy send to a person, against auditing the same share by the model's own confidence?
 * Readable table on standard error, the figures as one JSON line (the last line) on
 * standard output.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { evaluateRouting, type EvaluatedPart } from "@/lib/calibration/evaluate-routing";
import { renderRoutingQuality } from "@/lib/calibration/report";
import { isFileError, parseCli, runCli, UsageError } from "@/lib/cli/options";
import { GatingValidationError, MAX_BATCH_SIZE, readCsv } from "@/lib/gating";
import { loadReferenceScorer, readPolicyFile } from "@/lib/reference-data";

const USAGE = `Usage: npm run eval:routing -- [options]

Gates labelled records with a policy and the reference scorer in batches of 1, 10 and 100
and reports the §11 routing-quality figures: audit share, error capture against the
uncertainty baseline (auditing the same share with the least model confidence) and the
oracle, released error rate with its Clopper–Pearson 95 % bound against
TARGET_RELEASE_ERROR, lift, per reason and per flag, the risk–coverage curve; and whether
the seed's failure records, under new ids and rescaled by ±3 %, reach audit as canaries.

Options:
  --policy <json>        policy snapshot (default models/default-policy.json)
  --input <csv>          labelled CSV (default data/spaceship-titanic/train.csv)
  --part <name>          test | calibration | training | all (default test: the part
                         calibration fitted nothing on; split by the scorer's split seed)
  --batch-sizes <list>   comma-separated batch sizes (default 1,10,100)
  -h, --help             this help

Exit codes: 0 done; 2 bad usage, an unreadable file or an invalid policy.
`;

const PARTS: readonly EvaluatedPart[] = ["test", "calibration", "training", "all"];

function batchSizes(value: string | undefined): number[] {
  if (value === undefined) return [1, 10, 100];
  const sizes = value.split(",").map((s) => s.trim());
  for (const s of sizes) {
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > MAX_BATCH_SIZE) throw new UsageError(`--batch-sizes must list integers in [1, ${MAX_BATCH_SIZE}], got ${value}`);
  }
  return sizes.map(Number);
}

function main(): number {
  const values = parseCli(
    {
      policy: { type: "string" },
      input: { type: "string", default: "data/spaceship-titanic/train.csv" },
      part: { type: "string", default: "test" },
      "batch-sizes": { type: "string" },
    },
    USAGE,
  );
  if (!values) return 0;
  const part = values.part as EvaluatedPart;
  if (!PARTS.includes(part)) throw new UsageError(`--part must be one of ${PARTS.join(", ")}, got ${values.part}`);
  const sizes = batchSizes(values["batch-sizes"]);
  const policy = readPolicyFile(values.policy ? path.resolve(values.policy) : undefined);
  const read = readCsv(readFileSync(values.input, "utf8"));
  if (!read.ok) throw new UsageError(`${values.input}: ${read.errors[0]?.message}`);
  const started = performance.now();
  const evaluation = evaluateRouting(read.rows, policy, loadReferenceScorer(), { part, batchSizes: sizes });
  const lines = [
    `Routing quality of ${evaluation.policy.id} on the ${part} part (${evaluation.records} labelled records, scorer ${evaluation.scorerVersion})`,
    `CS_ACCEPT ${evaluation.policy.csAccept}; target released error ${evaluation.policy.targetReleaseError} at δ ${evaluation.policy.releaseDelta}; CAPS_TRIGGERED on ${(evaluation.capsTriggeredShare * 100).toFixed(2)} % of records`,
    "",
    ...renderRoutingQuality(evaluation.runs, evaluation.policy.targetReleaseError),
    "",
    `Seed-shaped records under new ids, each gated alone: ${evaluation.seedShaped.filter((s) => s.route === "audit" && s.canary).length} of ${evaluation.seedShaped.length} to audit as CANARY`,
    ...evaluation.seedShaped.map((s) => `  ${s.recordId} (${s.from} × ${s.scale}): ${s.route}${s.canary ? ", CANARY" : ""}`),
    `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);
  process.stdout.write(`${JSON.stringify(evaluation)}\n`);
  return 0;
}

runCli(main, USAGE, (error) => error instanceof GatingValidationError || isFileError(error) || error instanceof SyntaxError);
