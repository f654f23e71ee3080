import type { Clock } from "../core/clock.ts";
import type { RateLimiter } from "../http/rate-limiter.ts";

/**
 * Reports each request that had to wait for its rate budget (for /metrics): wraps the limiter's
 * `acquire` and measures, on the limiter's clock, how long the slot took to come.
 */
export function observeRateWaits(
  limiter: RateLimiter,
  clock: Clock,
  onWait: ((waitedMs: number) => void) | undefined,
): RateLimiter {
  if (!onWait) return limiter;
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (...args: Parameters<RateLimiter["acquire"]>) => {
    const asked = clock.now();
    const release = await acquire(...args);
    const waited = clock.now() - asked;
    if (waited > 0) onWait(waited);
    return release;
  };
  return limiter;
}
