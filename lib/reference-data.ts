/**
 * The project's committed model files and reference data, read from the project root (the
 * working directory of `npm run …` and of the server `npm start` serves). One place, so the
 * server, the CLIs, the demo seed and the benchmarks read the same files the same way.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parsePolicySnapshot, readCsv, type CsvRow, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { parseModel, scoredRecordsFor, type ReferenceScorer } from "@/lib/scorer/model";
import { splitParts } from "@/lib/scorer/split";

const REFERENCE_SCORER_FILE = "models/reference-scorer.json";
export const DEFAULT_POLICY_FILE = "models/default-policy.json";
const REFERENCE_DATA_FILE = "data/spaceship-titanic/train.csv";
/** written by `npm run calibrate` (lib/calibration/model-cards.ts) */
const OWN_MODEL_CARDS_FILE = "models/model-cards.json";

function projectFile(relative: string): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), relative);
}

let scorer: ReferenceScorer | null = null;

/** The committed reference scorer, parsed once per process (scoring never retrains). */
export function loadReferenceScorer(): ReferenceScorer {
  scorer ??= parseModel(readFileSync(projectFile(REFERENCE_SCORER_FILE), "utf8"));
  return scorer;
}

/** A policy snapshot file, validated; the committed default when no file is given. */
export function readPolicyFile(file: string = projectFile(DEFAULT_POLICY_FILE)): PolicySnapshot {
  return parsePolicySnapshot(JSON.parse(readFileSync(file, "utf8")));
}

/** The shipped real data (8,693 rows), scored once by the reference scorer over the whole file. */
export function scoredReferenceData(): ScoredRecord[] {
  return scoredRecordsFor(loadReferenceScorer(), referenceRows());
}

let training: ScoredRecord[] | null = null;

/** The training part of the shipped data, scored (what the policy's statistics and θ describe); scored once per process. */
export function referenceTrainingRecords(): ScoredRecord[] {
  training ??= splitParts(scoredReferenceData(), loadReferenceScorer().artifact.training.split.seed).training;
  return training;
}

/** The shipped real data's rows as read (with the `Transported` label). */
export function referenceRows(): CsvRow[] {
  const read = readCsv(readFileSync(projectFile(REFERENCE_DATA_FILE), "utf8"));
  if (!read.ok) throw new Error(`${REFERENCE_DATA_FILE}: ${read.errors[0]?.message}`);
  return read.rows;
}

/** The cards calibration computed for the console's own models, as written (validated when registered). */
export function readOwnModelCards(): unknown[] {
  const cards: unknown = JSON.parse(readFileSync(projectFile(OWN_MODEL_CARDS_FILE), "utf8"));
  if (!Array.isArray(cards)) throw new Error(`${OWN_MODEL_CARDS_FILE}: expected an array of model cards`);
  return cards;
}
