/**
 * Streams an async generator of text lines as a response body. The first line is read
 * before the response exists, so an error raised at the start (a permission check) still
 * becomes an error status instead of a broken 200.
 */
export async function streamLines(lines: AsyncGenerator<string>, headers: HeadersInit): Promise<Response> {
  const first = await lines.next();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(first.done ? "" : stream, { headers });
}

/** A CSV download: the lines (header first) streamed as `filename`. */
export function csvAttachment(lines: Iterable<string> | AsyncIterable<string>, filename: string): Promise<Response> {
  return streamLines(
    (async function* () {
      yield* lines;
    })(),
    { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` },
  );
}
