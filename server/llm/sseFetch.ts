// The openai SDK splits an SSE body into events by copying the rest of its buffer after each event, so
// one large network read (a fast local model, a proxy that batches) costs time quadratic in its size:
// 20,000 deltas arriving in 64 KiB reads spent ~0.4 s there. Handing the SDK the same bytes in small
// pieces keeps that linear; the SDK still does all the parsing and error handling.
const SSE_PIECE_BYTES = 1024;

function inPieces(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (chunk.length <= SSE_PIECE_BYTES) return controller.enqueue(chunk);
      for (let i = 0; i < chunk.length; i += SSE_PIECE_BYTES) controller.enqueue(chunk.subarray(i, i + SSE_PIECE_BYTES));
    },
  }));
}

/** `fetch` for the openai SDK: event-stream bodies arrive in pieces of at most 1 KiB, anything else as is. */
export const sseFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!res.body || !res.headers.get('content-type')?.includes('text/event-stream')) return res;
  return new Response(inPieces(res.body), { status: res.status, statusText: res.statusText, headers: res.headers });
};
