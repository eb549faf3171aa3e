/**
 * Sends a CSV or JSONL file to a running console's ingest API in batches, with a progress
 * bar. Resumable: every chunk's Idempotency-Key is derived from the file's content and the
 * chunk's position, so re-running after an interruption replays the chunks already
 * stored (the server answers with their first response) and sends the rest.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { integerOption, parseCli, runCli, UsageError } from "@/lib/cli/options";
import { MAX_BATCH_SIZE } from "@/lib/gating";
import { prepareRecords, problemText } from "@/lib/records/prepare";
import { loadReferenceScorer, readPolicyFile } from "@/lib/reference-data";

const USAGE = `Usage: npm run ingest -- --file <file.csv|file.jsonl> --token <sr_…> [options]

Sends records to POST /api/v1/batches of a running console, in batches, showing records,
rate and ETA. Every row is checked before anything is sent; a bad row stops the run with
its line and field. CSV rows (and JSONL lines without pModel) are scored here by the
reference scorer, over the whole file, then sent as JSON.

Options:
  --file <path>        required: a Spaceship Titanic CSV (any dialect) or JSONL of records
  --token <token>      required: an API token with the ingest scope (or SENTINEL_TOKEN)
  --url <base url>     the console (default http://localhost:3000, or SENTINEL_URL)
  --batch-size <n>     records per request, 1…${MAX_BATCH_SIZE} (default 1000)
  --key-prefix <text>  prefix of the idempotency keys (default: derived from the file)
  -h, --help           this help

Resuming: run the same command again. Chunks already stored are answered from the
server's idempotency record (counted as "replayed") and nothing is written twice.
Exit codes: 0 done; 1 the server refused a batch or could not be reached; 2 bad usage or
an invalid file.
`;

interface Summary {
  records: number;
  batches: number;
  replayed: number;
  audit: number;
  auto: number;
  held: number;
}

async function post(url: string, token: string, key: string, body: string): Promise<{ status: number; text: string; replayed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${url.replace(/\/$/, "")}/api/v1/batches`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": key },
        body,
      });
      const text = await res.text();
      // Over the rate limit: wait as told, then send the same chunk (same key) again.
      if (res.status === 429 && attempt < 20) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
        continue;
      }
      return { status: res.status, text, replayed: res.headers.get("idempotent-replayed") === "true" };
    } catch (error) {
      // The server went away mid-request: the key makes a retry safe.
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}

async function main(): Promise<number> {
  const values = parseCli(
    {
      file: { type: "string" },
      token: { type: "string" },
      url: { type: "string" },
      "batch-size": { type: "string" },
      "key-prefix": { type: "string" },
    },
    USAGE,
  );
  if (!values) return 0;
  if (!values.file) throw new UsageError("--file is required");
  const token = values.token ?? process.env.SENTINEL_TOKEN;
  if (!token) throw new UsageError("--token is required (or set SENTINEL_TOKEN)");
  const url = values.url ?? process.env.SENTINEL_URL ?? "http://localhost:3000";
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must start with http:// or https://, got ${url}`);
  const batchSize = integerOption(values["batch-size"], "batch-size", 1000, 1, MAX_BATCH_SIZE);
  const ext = path.extname(values.file).toLowerCase();
  const format = ext === ".csv" ? "csv" : ext === ".jsonl" || ext === ".ndjson" ? "jsonl" : null;
  if (!format) throw new UsageError(`cannot tell the format of ${values.file}: use a .csv or .jsonl file`);

  const bytes = readFileSync(values.file);
  const prefix = values["key-prefix"] ?? `ingest-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}-${batchSize}`;
  // Checked locally against the committed default policy's channels; the server checks again.
  const prepared = prepareRecords(bytes.toString("utf8"), format, readPolicyFile(), loadReferenceScorer);
  if (prepared.problems.length > 0) {
    for (const problem of prepared.problems.slice(0, 20)) process.stderr.write(`${values.file}: ${problemText(problem)}\n`);
    process.stderr.write(`${prepared.problems.length} problem(s); nothing was sent\n`);
    return 2;
  }
  const records = prepared.records.map((r) => r.record);
  const chunks = Math.ceil(records.length / batchSize);
  const summary: Summary = { records: 0, batches: 0, replayed: 0, audit: 0, auto: 0, held: 0 };
  const bar = new cliProgress.SingleBar(
    { format: "{bar} {value}/{total} records | {rate} rec/s | ETA {eta_formatted} | batch {batch}/{batches}", hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(records.length, 0, { rate: 0, batch: 0, batches: chunks });
  const started = performance.now();
  for (let c = 0; c < chunks; c++) {
    const slice = records.slice(c * batchSize, (c + 1) * batchSize);
    const key = `${prefix}-${String(c + 1).padStart(6, "0")}`;
    const response = await post(url, token, key, JSON.stringify({ batchId: key, records: slice }));
    if (response.status !== 201) {
      bar.stop();
      let message = response.text;
      try {
        message = (JSON.parse(response.text) as { error: { message: string } }).error.message;
      } catch {
        /* not JSON: show as is */
      }
      process.stderr.write(`batch ${c + 1} of ${chunks} (${key}) refused with ${response.status}: ${message}\n`);
      process.stderr.write(`${summary.records} records were stored before it; run the same command again to resume.\n`);
      return 1;
    }
    const body = JSON.parse(response.text) as { records: number; routes: { auto: number; audit: number }; hold: { held: boolean } };
    summary.records += body.records;
    summary.batches += 1;
    summary.audit += body.routes.audit;
    summary.auto += body.routes.auto;
    if (body.hold.held) summary.held += 1;
    if (response.replayed) summary.replayed += 1;
    const seconds = (performance.now() - started) / 1000;
    bar.update(summary.records, { rate: Math.round(summary.records / Math.max(seconds, 1e-3)), batch: c + 1 });
  }
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `sent ${summary.records} records in ${summary.batches} batches (${summary.replayed} replayed from an earlier run) in ${seconds.toFixed(1)} s: ` +
      `auto ${summary.auto}, audit ${summary.audit}; ${summary.held} batch(es) held\n`,
  );
  return 0;
}

// A server that cannot be reached is this run's failure (exit 1), not a crash.
runCli(async () => {
  try {
    return await main();
  } catch (error) {
    if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      process.stderr.write(`cannot reach the console: ${(error.cause as Error | undefined)?.message ?? error.message}\n`);
      return 1;
    }
    throw error;
  }
}, USAGE);
