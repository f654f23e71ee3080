import type { RateLimiter } from "./rate-limiter.ts";
import { parseRetryAfter } from "./retry-after.ts";
import type { HttpSend } from "./types.ts";

/**
 * Holds each request until its key's budget allows it (see RateLimiter), releases the
 * concurrency place when the response arrives, and feeds the budget from the response:
 * `X-RateLimit-*` headers and 429 `Retry-After`. Requests without `rateKey` pass straight through.
 */
export function withRateLimit(next: HttpSend, limiter: RateLimiter): HttpSend {
  return async (request) => {
    if (!request.rateKey) return next(request);
    const key = request.rateKey;
    const lane = request.rateLane ?? "default";
    const release = await limiter.acquire(key, lane, request.signal);
    let response: Response;
    try {
      response = await next(request);
    } finally {
      release();
    }
    const now = limiter.now();
    const limit = Number(response.headers.get("x-ratelimit-limit"));
    if (Number.isFinite(limit) && limit > 0) limiter.setLimit(key, "default", { limit });
    const remaining = response.headers.get("x-ratelimit-remaining");
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (remaining !== null && Number.isFinite(Number(remaining))) {
      limiter.observe(key, "default", Number(remaining), resetToEpochMs(reset, now));
    }
    if (response.status === 429) {
      const wait = parseRetryAfter(response.headers.get("retry-after"), now) ?? limiter.throttleWaitMs(key);
      limiter.pause(key, lane, wait);
    }
    return response;
  };
}

/**
 * `X-RateLimit-Reset` is the Unix epoch second the window ends (Clio, per the reference); a
 * small number is read as seconds from now, as some servers and Clio's own help article describe.
 */
export function resetToEpochMs(reset: number, nowMs: number): number | undefined {
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return reset > 1e9 ? reset * 1000 : nowMs + reset * 1000;
}
