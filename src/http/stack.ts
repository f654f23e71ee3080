import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { HttpSend } from "./types.ts";
import { type TokenSource, withAuth } from "./with-auth.ts";
import { withLogging } from "./with-logging.ts";
import { withRateLimit } from "./with-rate-limit.ts";
import { type RetryOptions, withRetry } from "./with-retry.ts";
import { withStop } from "./with-stop.ts";
import { withTimeout } from "./with-timeout.ts";

export interface HttpStackOptions {
  transport: HttpSend;
  clock: Clock;
  logger: Logger;
  limiter?: RateLimiter;
  tokens?: TokenSource;
  timeoutMs?: number;
  retry?: Omit<RetryOptions, "clock">;
  /**
   * A provider's own reading of responses, placed between the timeout and the rate limit so the
   * budget and the retries see it (QBO: a 403 carrying throttle fault 3001 is a 429).
   */
  provider?: (send: HttpSend) => HttpSend;
  /** A stop (Ctrl+C): ends waits and requests in flight, and lets no new request out (with-stop.ts). */
  stop?: AbortSignal;
}

/**
 * The standard order, outermost first: (stop) → retry → auth → rate limit → (provider) → timeout → logging
 * → transport.
 * Retry wraps everything so each attempt waits for its budget again; auth sits outside the rate
 * limit so the request repeated after a token refresh also draws from the budget; logging is
 * innermost so every attempt is one line with its true duration.
 */
export function createHttpStack(options: HttpStackOptions): HttpSend {
  let send = withLogging(options.transport, options.logger, options.clock);
  send = withTimeout(send, { clock: options.clock, timeoutMs: options.timeoutMs ?? 30_000 });
  if (options.provider) send = options.provider(send);
  if (options.limiter) send = withRateLimit(send, options.limiter);
  if (options.tokens) send = withAuth(send, options.tokens);
  send = withRetry(send, { ...options.retry, clock: options.clock });
  return options.stop ? withStop(send, options.stop) : send;
}
