/**
 * The gate CLI: gates a CSV or JSONL file with the shared gating core, offline (no
 * database, no server). See USAGE. Output is byte-deterministic for the same input,
 * policy, batch size and --now.
 */
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { integerOption, isFileError, parseCli, runCli, UsageError } from "@/lib/cli/options";
import { GatingValidationError, MAX_BATCH_SIZE, REASON_CODES, type PolicySnapshot } from "@/lib/gating";
import { gateOutputLine, gateRecords } from "@/lib/records/gate-records";
import { prepareRecords, problemText, type InputFormat } from "@/lib/records/prepare";
import { DEFAULT_POLICY_FILE, loadReferenceScorer, readPolicyFile } from "@/lib/reference-data";

const EPOCH = "1970-01-01T00:00:00Z";

const USAGE = `Usage: npm run gate -- --input <file.csv|file.jsonl> [options]

Gates records with the shared gating core (lib/gating) and writes one JSON line per
record. Needs no database and no server.

Input
  --input <file>         required. A CSV in the Spaceship Titanic layout (any dialect: empty
                         cells, NaN, nan or NA for missing; true/false in any case; the
                         Transported column is ignored; unknown columns are kept as context)
                         or JSONL, one record per line. A JSONL line with pModel is a scored
                         record; a line with only recordId, spend, context (and clusterId) and
                         every CSV row are scored by the reference scorer
                         (models/reference-scorer.json), group sizes taken over the whole file.
  --format <csv|jsonl>   default: from the file extension (.csv, .jsonl / .ndjson)

Gating
  --policy <json>        policy snapshot (default models/default-policy.json)
  --batch-size <n>       records per batch, 1…${MAX_BATCH_SIZE} (default 100); batches are consecutive rows
  --now <ISO time>       the time written into provenance (default ${EPOCH}, so output is
                         byte-identical between runs)
  --batch-prefix <text>  batch ids are <text>-000001, -000002, … (default gate)

Output
  --out <file>           write the JSON lines here (default: standard output)
  --skip-invalid         gate the valid records and write the invalid ones to --rejects
                         instead of failing the run
  --rejects <file>       where --skip-invalid writes rejects, one JSON line each with line,
                         recordId, field and message (default <out>.rejects.jsonl, or
                         gate-rejects.jsonl when writing to standard output)
  -h, --help             this help

Each output line holds recordId, batchId, route (auto|audit), decision, fragile,
fragilityScore, flags (the true flag codes), reasons [{code, value, threshold, …}], p10, p50,
p90, confidence, pModel, pGlm, scorerVersion, policyId, policyHash and provenance (the full
record of spec §9: raw spends, topology, variance terms, batch and hold state, gating core
version, writtenAt = --now). A summary (records/s, routes, fragile share, top reasons) goes
to standard error.

Exit codes: 0 done; 1 invalid records (each reported with its line and field; nothing is
written unless --skip-invalid); 2 bad usage, an unreadable file or an invalid policy.
`;

function formatOf(file: string, given: string | undefined): InputFormat {
  if (given !== undefined) {
    if (given !== "csv" && given !== "jsonl") throw new UsageError(`--format must be csv or jsonl, got ${given}`);
    return given;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  throw new UsageError(`cannot tell the format of ${file} from its extension; pass --format csv or --format jsonl`);
}

function isoOption(value: string | undefined): string {
  if (value === undefined) return EPOCH;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--now must be an ISO 8601 time with a zone, e.g. 2026-11-23T09:00:00Z, got ${value}`);
  }
  return value;
}

class PolicyFileError extends Error {}

function readPolicy(file: string | undefined): PolicySnapshot {
  try {
    return readPolicyFile(file);
  } catch (error) {
    if (isFileError(error)) throw error;
    const detail = error instanceof GatingValidationError || error instanceof SyntaxError ? error.message : String(error);
    throw new PolicyFileError(`${file ?? DEFAULT_POLICY_FILE} is not a valid policy snapshot: ${detail}`);
  }
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0.0 %" : `${((part / whole) * 100).toFixed(1)} %`;
}

async function main(): Promise<number> {
  const values = parseCli(
    {
      input: { type: "string" },
      format: { type: "string" },
      policy: { type: "string" },
      "batch-size": { type: "string" },
      now: { type: "string" },
      "batch-prefix": { type: "string", default: "gate" },
      out: { type: "string" },
      "skip-invalid": { type: "boolean", default: false },
      rejects: { type: "string" },
    },
    USAGE,
  );
  if (!values) return 0;
  if (!values.input) throw new UsageError("--input is required");
  const format = formatOf(values.input, values.format);
  const batchSize = integerOption(values["batch-size"], "batch-size", 100, 1, MAX_BATCH_SIZE);
  const now = isoOption(values.now);
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(values["batch-prefix"])) throw new UsageError("--batch-prefix must be 1–64 characters of [A-Za-z0-9_.:-]");
  const policy = readPolicy(values.policy);
  const text = readFileSync(values.input, "utf8");

  const started = performance.now();
  const prepared = prepareRecords(text, format, policy, loadReferenceScorer);
  if (prepared.problems.length > 0) {
    if (!values["skip-invalid"]) {
      for (const problem of prepared.problems.slice(0, 50)) process.stderr.write(`${values.input}: ${problemText(problem)}\n`);
      if (prepared.problems.length > 50) process.stderr.write(`… and ${prepared.problems.length - 50} more\n`);
      process.stderr.write(`${prepared.problems.length} problem(s) in ${values.input}; nothing was written (--skip-invalid gates the valid records)\n`);
      return 1;
    }
    const rejectsFile = values.rejects ?? (values.out ? `${values.out}.rejects.jsonl` : "gate-rejects.jsonl");
    writeFileSync(rejectsFile, prepared.problems.map((p) => `${JSON.stringify(p)}\n`).join(""));
    process.stderr.write(`${prepared.problems.length} problem(s) written to ${rejectsFile}; gating the ${prepared.records.length} valid records\n`);
  }

  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const chunks: string[] = [];
  const summary = gateRecords(
    prepared.records.map((item) => item.record),
    policy,
    { batchSize, now, batchPrefix: values["batch-prefix"] },
    (results) => {
      for (const result of results) chunks.push(`${gateOutputLine(result)}\n`);
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((resolve, reject) => {
    out.write(chunks.join(""), (error) => (error ? reject(error) : resolve()));
  });
  if (out !== process.stdout) await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));

  const top = REASON_CODES.filter((code) => summary.reasons[code] > 0)
    .sort((a, b) => summary.reasons[b] - summary.reasons[a])
    .slice(0, 5)
    .map((code) => `${code} ${summary.reasons[code]}`);
  process.stderr.write(
    [
      `gated ${summary.records} records in ${summary.batches} batch(es) of up to ${batchSize} in ${seconds.toFixed(2)} s (${Math.round(summary.records / Math.max(seconds, 1e-9))} records/s, incl. ${prepared.scored} scored by the reference scorer)`,
      `routes: auto ${summary.auto} (${percent(summary.auto, summary.records)}), audit ${summary.audit} (${percent(summary.audit, summary.records)}); fragile ${percent(summary.fragile, summary.records)}; held batches ${summary.heldBatches}`,
      `top reasons: ${top.join(", ") || "none"}`,
      `policy ${policy.id}${values.out ? `; output ${values.out}` : ""}`,
    ].join("\n") + "\n",
  );
  return 0;
}

runCli(main, USAGE, (error) => error instanceof PolicyFileError);
