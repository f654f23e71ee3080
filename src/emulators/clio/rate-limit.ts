import type { Clock } from "../../core/clock.ts";

/**
 * Per-access-token fixed window (clio-api.md §3): `limit` requests per 60 s window, shortened by
 * `timeScale` for benchmarks. Reset is the window end in Unix epoch seconds.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  reset: number;
  retryAfter: number;
}

export class TokenRateLimiter {
  readonly #clock: Clock;
  readonly #windows = new Map<string, { start: number; count: number }>();
  limit: number;
  timeScale: number;

  constructor(clock: Clock, limit: number, timeScale = 1) {
    this.#clock = clock;
    this.limit = limit;
    this.timeScale = timeScale;
  }

  get windowMs(): number {
    return Math.max(1, Math.round(60_000 / this.timeScale));
  }

  take(token: string): RateDecision {
    const now = this.#clock.now();
    let w = this.#windows.get(token);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(token, w);
    }
    const end = w.start + this.windowMs;
    const reset = Math.ceil(end / 1000);
    const retryAfter = Math.max(1, Math.ceil((end - now) / 1000));
    if (w.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, reset, retryAfter };
    w.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, reset, retryAfter };
  }

  reset(): void {
    this.#windows.clear();
  }
}
