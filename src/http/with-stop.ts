import type { HttpSend } from "./types.ts";

/**
 * Ties every request to a stop signal (the process's Ctrl+C / SIGTERM): once it fires, no new
 * request leaves, and waits for a rate budget or a retry, and requests in flight, end at once with
 * the signal's reason. Outermost in the stack, so the retry and rate-limit waits see it too.
 * Abandoning a write in flight is safe: QBO writes carry their outbox requestid, and the next run
 * sends the same request again (executor.ts).
 */
export function withStop(next: HttpSend, stop: AbortSignal): HttpSend {
  return (request) => {
    if (stop.aborted) return Promise.reject(stop.reason);
    const signal = request.signal ? AbortSignal.any([request.signal, stop]) : stop;
    return next({ ...request, signal });
  };
}
