import { LexError } from "../core/errors.ts";
import type { HttpRequest, HttpSend } from "./types.ts";

/**
 * The bottom of every stack: sends a request with `fetch` (the built-in one by default, or an
 * in-process `app.request`-style function in tests). Network failures become LexErrors with a
 * code; an abort caused by `with-timeout` passes through untouched so that layer can name it.
 */
export function fetchTransport(fetchImpl: typeof fetch = fetch): HttpSend {
  return async (request: HttpRequest) => {
    try {
      return await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
      });
    } catch (cause) {
      if (request.signal?.aborted) throw request.signal.reason ?? cause;
      throw new LexError(
        "http_network",
        `${request.method} ${new URL(request.url).pathname} failed: ${describe(cause)}`,
        {
          cause,
        },
      );
    }
  };
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
