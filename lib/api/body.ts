import type { NextRequest } from "next/server";
import { loadEnv } from "@/lib/env";
import { BadRequestError, PayloadTooLargeError } from "@/lib/errors";

/**
 * Reads a request body as UTF-8 text, refusing it (413) once it passes the limit for its
 * media type (governance spec §2: 32 MB JSON, 8 MB CSV by default) — before reading it
 * whole when Content-Length says so, and while streaming otherwise.
 */
export async function readBodyText(request: NextRequest): Promise<string> {
  const env = loadEnv();
  const csv = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/csv");
  const limit = csv ? env.API_MAX_CSV_BYTES : env.API_MAX_JSON_BYTES;
  const tooLarge = () => new PayloadTooLargeError(`The body is larger than the ${csv ? "CSV" : "JSON"} limit of ${limit} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError("The body is not valid UTF-8.");
  }
}
