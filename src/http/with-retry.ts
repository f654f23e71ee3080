import type { Clock } from "../core/clock.ts";
import { isLexError, LexError } from "../core/errors.ts";
import { parseRetryAfter } from "./retry-after.ts";
import type { HttpRequest, HttpSend } from "./types.ts";

export interface RetryOptions {
  clock: Clock;
  /** Total attempts including the first. (Default: 5) */
  maxAttempts?: number;
  /** Base of the exponential backoff. (Default: 500 ms) */
  baseDelayMs?: number;
  /** Cap of a single wait. (Default: 30 s) */
  maxDelayMs?: number;
  /** Statuses worth another attempt. (Default: 408, 429, 500, 502, 503, 504) */
  retryableStatuses?: readonly number[];
  /**
   * The least wait before repeating a 429 that names no `Retry-After` (QBO: 60 s, Intuit's
   * guidance). (Default: 0, the backoff alone)
   */
  throttleWaitMs?: number;
  /** Source of randomness for jitter, injectable for tests. (Default: Math.random) */
  random?: () => number;
  /** Called before each wait, e.g. to count retries in a benchmark. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; request: HttpRequest }) => void;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const DEFAULT_STATUSES = [408, 429, 500, 502, 503, 504];

/** Reads can always be repeated (also reads sent as POST); a write only with an idempotency key (QBO `requestid`). */
export function isSafeToRepeat(request: HttpRequest): boolean {
  return (
    SAFE_METHODS.has(request.method.toUpperCase()) ||
    Boolean(request.idempotencyKey) ||
    request.safeToRepeat === true
  );
}

/**
 * Retries transient failures with exponential backoff and full jitter (a random wait between 0 and
 * min(cap, base·2^n)); a `Retry-After` header is a floor under that wait, and so is
 * `throttleWaitMs` for a 429 that names none. Gives up with
 * `http_retries_exhausted` naming the attempts made. A non-retryable response is returned as is,
 * and a write without an idempotency key is never sent twice.
 */
export function withRetry(next: HttpSend, options: RetryOptions): HttpSend {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const statuses = new Set(options.retryableStatuses ?? DEFAULT_STATUSES);
  const random = options.random ?? Math.random;

  return async (request) => {
    const repeatable = isSafeToRepeat(request);
    let lastReason = "";
    let lastStatus: number | undefined;
    for (let attempt = 1; ; attempt++) {
      let floorMs = 0;
      let failure: unknown;
      try {
        const response = await next({ ...request, attempt });
        if (!statuses.has(response.status) || !repeatable) return response;
        lastStatus = response.status;
        lastReason = `status ${response.status}`;
        floorMs =
          parseRetryAfter(response.headers.get("retry-after"), options.clock.now()) ??
          (response.status === 429 ? (options.throttleWaitMs ?? 0) : 0);
        await response.body?.cancel();
      } catch (error) {
        if (!repeatable || !isTransient(error) || request.signal?.aborted) throw error;
        lastReason = isLexError(error) ? error.code : String(error);
        failure = error;
      }
      if (attempt >= maxAttempts) giveUp(request, attempt, lastReason, lastStatus, failure);
      const backoff = random() * Math.min(cap, base * 2 ** (attempt - 1));
      const delayMs = Math.max(floorMs, backoff);
      options.onRetry?.({ attempt, delayMs, reason: lastReason, request });
      await options.clock.sleep(delayMs, request.signal);
    }
  };
}

function isTransient(error: unknown): boolean {
  return isLexError(error) && error.kind === "transient";
}

function giveUp(
  request: HttpRequest,
  attempts: number,
  reason: string,
  status: number | undefined,
  cause: unknown,
): never {
  const { origin, pathname } = new URL(request.url);
  // A refused or unknown address shows itself ("connect ECONNREFUSED 127.0.0.1:4001") in the message.
  const networkReason = isLexError(cause, "http_network") ? cause.details.reason : undefined;
  throw new LexError(
    "http_retries_exhausted",
    `${request.method} ${origin}${pathname} failed after ${attempts} attempts (last: ${reason}${networkReason ? `: ${networkReason}` : ""})`,
    {
      status,
      cause,
      requestId: request.idempotencyKey,
      details: { attempts, lastReason: reason },
    },
  );
}
