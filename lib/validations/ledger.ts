/**
 * What the edit log's Merkle proofs take (RFC 9162; lib/ledger/merkle.ts): entry numbers and
 * tree sizes as the path and the query string give them. A blank or a non-number is refused
 * naming the parameter, never read as zero.
 */
import * as z from "zod";

const wholeNumber = z
  .union([z.string(), z.number()], { error: "must be a whole number ≥ 1" })
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^[1-9]\d{0,14}$/, { error: "must be a whole number ≥ 1" }).transform(Number));

export const inclusionProofQuerySchema = z.strictObject({
  /** the entry (1-based seq) */
  seq: wholeNumber,
  /** the tree the proof is against; absent: the whole log now */
  treeSize: wholeNumber.optional(),
});

export const consistencyProofQuerySchema = z.strictObject({
  first: wholeNumber,
  second: wholeNumber,
});
