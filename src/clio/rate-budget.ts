import type { Clock } from "../core/clock.ts";
import { RateLimiter } from "../http/rate-limiter.ts";

/**
 * A RateLimiter for Clio keys (`clio:<token hash>`): starts at the documented peak limit (50 per
 * 60 s, clio-api.md §3) and then follows X-RateLimit-Limit/Remaining/Reset and 429 Retry-After
 * through withRateLimit. Other keys pass unlimited. `windowMs` is shortened only by benchmarks that
 * run the emulator with a time scale.
 */
export function clioRateLimiter(clock: Clock, startLimit = 50, windowMs = 60_000): RateLimiter {
  return new RateLimiter(clock, (key) =>
    key.startsWith("clio:") ? { lanes: { default: { limit: startLimit, windowMs } } } : undefined,
  );
}
