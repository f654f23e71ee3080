import type { Clock } from "../core/clock.ts";
import { type BudgetLimits, RateLimiter } from "../http/rate-limiter.ts";

/** Clio's documented peak limit per access token: 50 requests per 60 s (clio-api.md §3). */
export function clioRateBudget(startLimit = 50, windowMs = 60_000): BudgetLimits {
  return { lanes: { default: { limit: startLimit, windowMs } } };
}

/**
 * A RateLimiter for Clio keys (`clio:<token hash>`): starts at the documented peak limit
 * (clioRateBudget) and then follows X-RateLimit-Limit/Remaining/Reset and 429 Retry-After
 * through withRateLimit. Other keys pass unlimited. `windowMs` is shortened only by benchmarks that
 * run the emulator with a time scale.
 */
export function clioRateLimiter(clock: Clock, startLimit = 50, windowMs = 60_000): RateLimiter {
  return new RateLimiter(clock, (key) =>
    key.startsWith("clio:") ? clioRateBudget(startLimit, windowMs) : undefined,
  );
}
