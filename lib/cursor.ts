/**
 * Keyset page cursors as the address carries them: the last row's sort key as base64url
 * JSON. Decoding only parses; each list checks the shape against its own order.
 */
export function encodeCursor(body: unknown): string {
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/** The cursor's JSON, or undefined when it is not one. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
