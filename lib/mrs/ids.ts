/**
 * Deterministic identities (spec §1), so a re-run or a replay yields the same ids:
 *   reportId = "MR-" + hex(sha256(storeId + U+001F + sku + U+001F + windowStart))[0:16]
 *   eventId  = "ME-" + hex(sha256(reportGroupId))[0:12]
 * with windowStart normalised to `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds), so the
 * same instant written with another offset or precision hashes the same.
 * Pure: `node:crypto` computes, nothing is read.
 */
import { createHash } from "node:crypto";
import { normaliseInstant } from "./time";

/** The separator between hashed parts: a control character no store id or SKU contains. */
export const ID_PART_SEPARATOR = "\u001f";

export const REPORT_ID_PATTERN = /^MR-[0-9a-f]{16}$/;
export const EVENT_ID_PATTERN = /^ME-[0-9a-f]{12}$/;
/** A report group (cohort) id as upstream sends it, e.g. the seed's `MR-UK-003`. */
export const REPORT_GROUP_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function requirePart(value: string, field: string): void {
  if (typeof value !== "string" || value.length === 0) throw new RangeError(`${field} must be a non-empty string`);
  // A part holding the separator could collide with another (storeId, sku) split.
  if (value.includes(ID_PART_SEPARATOR)) throw new RangeError(`${field} must not contain the U+001F separator`);
}

/** The report id of one store and SKU over the window starting at `windowStart` (any accepted ISO-8601 instant). */
export function reportId(storeId: string, sku: string, windowStart: string): string {
  requirePart(storeId, "storeId");
  requirePart(sku, "sku");
  const start = normaliseInstant(windowStart, "windowStart");
  return "MR-" + sha256Hex(storeId + ID_PART_SEPARATOR + sku + ID_PART_SEPARATOR + start).slice(0, 16);
}

/** The event id of a report group (cohort). */
export function eventId(reportGroupId: string): string {
  if (typeof reportGroupId !== "string" || !REPORT_GROUP_ID_PATTERN.test(reportGroupId)) {
    throw new RangeError("reportGroupId must be 1–128 characters of [A-Za-z0-9_.:-]");
  }
  return "ME-" + sha256Hex(reportGroupId).slice(0, 12);
}
