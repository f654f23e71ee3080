import type { Clock } from "../core/clock.ts";
import { LexError } from "../core/errors.ts";
import type { HttpSend } from "./types.ts";

export interface TimeoutOptions {
  clock: Clock;
  timeoutMs: number;
}

/**
 * Aborts a request that has not answered within `timeoutMs` (through an AbortSignal, so the
 * socket is released) and reports `http_timeout`, a transient error `with-retry` may repeat.
 * A caller's own signal still cancels the request and keeps its own reason.
 */
export function withTimeout(next: HttpSend, options: TimeoutOptions): HttpSend {
  return async (request) => {
    const controller = new AbortController();
    const timeoutError = new LexError(
      "http_timeout",
      `${request.method} ${new URL(request.url).pathname} timed out after ${options.timeoutMs} ms`,
      {
        requestId: request.idempotencyKey,
        details: { timeoutMs: options.timeoutMs },
      },
    );
    const cancelTimer = options.clock.setTimer(() => controller.abort(timeoutError), options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const timedOut = new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    timedOut.catch(() => {}); // only the race observes it; an abort after success is not an error

    try {
      // Racing keeps the timeout effective even for a sender that ignores the signal.
      return await Promise.race([next({ ...request, signal }), timedOut]);
    } finally {
      cancelTimer();
    }
  };
}
