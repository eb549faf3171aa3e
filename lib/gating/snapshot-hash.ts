/**
 * Deterministic content hash of a policy snapshot: SHA-256 over canonical JSON (object
 * keys sorted by code unit, no whitespace, undefined members dropped, −0 written as 0).
 * The snapshot's `id` is not part of the content, so the same policy under two ids has
 * one hash — and an id may be derived from the hash.
 *
 * node:crypto is computation, not I/O; it is kept in this module so the parts of the
 * core that client components import (reasons, explain) do not pull it in.
 */
import { createHash } from "node:crypto";
import type { PolicySnapshot } from "./schemas";

/** Canonical JSON of plain data. Throws on values JSON cannot carry faithfully (NaN, ±Infinity, functions, …). */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",") + "]";
      if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(obj[k])).join(",") + "}";
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Content hash of a snapshot (hex SHA-256 of the canonical JSON of everything but `id`). */
export function computeSnapshotHash(snapshot: PolicySnapshot | Omit<PolicySnapshot, "id">): string {
  const { id: _id, ...content } = snapshot as PolicySnapshot;
  return sha256Hex(canonicalJson(content));
}
