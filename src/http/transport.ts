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
      throw networkFailure(request.method, request.url, cause);
    }
  };
}

/**
 * A request that got no answer (refused, unknown host, reset), named by its address without the
 * query, so a mistyped base URL shows in the message and no query parameter leaks into it.
 */
export function networkFailure(method: string, url: string, cause: unknown): LexError {
  const { origin, pathname } = new URL(url);
  const reason = describe(cause);
  return new LexError("http_network", `${method} ${origin}${pathname} failed: ${reason}`, {
    cause,
    details: { reason },
  });
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
