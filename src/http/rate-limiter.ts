import type { Clock } from "../core/clock.ts";
import { TokenBucket } from "./token-bucket.ts";

export interface LaneLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length. (Default: 60 s) */
  windowMs?: number;
  /**
   * How many may go at once before the refill rate spaces them (the bucket's size). 1 keeps every
   * sliding window within `limit`; a full-size burst can let nearly twice `limit` through in the
   * window that starts with it. (Default: `limit`)
   */
  burst?: number;
  /**
   * How far behind the server's count to stay (ms of refill kept back). The server counts a
   * request when it arrives, a little after we sent it; a later request that travels faster than
   * the first would otherwise arrive before its token exists there, and be throttled. (Default: 0)
   */
  marginMs?: number;
}

export interface BudgetLimits {
  /** Lanes by name; `default` covers every request without a lane. */
  lanes: Record<string, LaneLimit>;
  /**
   * Lanes every request draws from besides its own, e.g. QBO's 500 per minute and 10 per second
   * per realm, which batch calls count against too. (Default: `["default"]`)
   */
  everyRequest?: string[];
  /** Requests in flight at once across all lanes of the key. (Default: unlimited) */
  concurrency?: number;
  /** How long a 429 without `Retry-After` pauses the lane (QBO: 60 s). (Default: 1 s) */
  throttleWaitMs?: number;
}

/** One lane of one key's budget at a moment (RateLimiter.headroom). */
export interface LaneHeadroom {
  key: string;
  lane: string;
  /** Requests that may go now without waiting. */
  available: number;
  /** The bucket's size (the burst). */
  capacity: number;
  /** The refill, in requests a minute. */
  perMinute: number;
}

interface Budget {
  buckets: Map<string, TokenBucket>;
  everyRequest: string[];
  inFlight: number;
  concurrency: number;
  throttleWaitMs: number;
  waiters: Array<() => void>;
}

/**
 * Rate budgets per key (a QBO realm, a Clio token), each with lanes (e.g. QBO's batch calls have a
 * per-minute limit of their own, and also count against the realm's general limit) and a
 * concurrency cap. Budgets start from configured limits and follow the server: `X-RateLimit-*`
 * headers tighten them and a 429 empties them until its `Retry-After`.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #defaults: (key: string) => BudgetLimits | undefined;
  readonly #budgets = new Map<string, Budget>();

  constructor(clock: Clock, defaults: (key: string) => BudgetLimits | undefined) {
    this.#clock = clock;
    this.#defaults = defaults;
  }

  now(): number {
    return this.#clock.now();
  }

  /** Waits for a slot in `key` (its `lane` and `default`), then holds one concurrency place. */
  async acquire(key: string, lane = "default", signal?: AbortSignal): Promise<() => void> {
    const budget = this.#budget(key);
    if (!budget) return () => {};
    await this.#takeTokens(budget, lane, signal);
    while (budget.inFlight >= budget.concurrency) {
      await new Promise<void>((resolve) => budget.waiters.push(resolve));
    }
    budget.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      budget.inFlight--;
      budget.waiters.shift()?.();
    };
  }

  async #takeTokens(budget: Budget, lane: string, signal?: AbortSignal): Promise<void> {
    const lanes = [...new Set([lane, ...budget.everyRequest])];
    for (;;) {
      const now = this.#clock.now();
      const buckets = lanes.map((l) => budget.buckets.get(l)).filter((b) => b !== undefined);
      // Take from every lane or from none: check first, then take.
      const waitMs = Math.max(0, ...buckets.map((b) => b.waitMs(now)));
      if (waitMs === 0) {
        for (const b of buckets) b.tryTake(now);
        return;
      }
      await this.#clock.sleep(waitMs, signal);
    }
  }

  /**
   * Follows the server's view of the budget: `remaining` calls left in the window, which resets
   * at `resetAtMs`. With nothing left, no call goes out before the reset.
   */
  observe(key: string, lane: string, remaining: number, resetAtMs?: number): void {
    const bucket = this.#budget(key)?.buckets.get(lane);
    if (!bucket) return;
    const now = this.#clock.now();
    if (remaining <= 0 && resetAtMs !== undefined) bucket.emptyUntil(resetAtMs, now);
    else bucket.clampTo(remaining, now);
  }

  /** How long a 429 that names no `Retry-After` pauses `key` (the provider's guidance). */
  throttleWaitMs(key: string): number {
    return this.#budget(key)?.throttleWaitMs ?? 1000;
  }

  /** A 429: nothing more for this key and lane until `retryAfterMs` has passed. */
  pause(key: string, lane: string, retryAfterMs: number): void {
    this.#budget(key)
      ?.buckets.get(lane)
      ?.blockUntil(this.#clock.now() + retryAfterMs);
  }

  /** Replaces a key's limits (e.g. when the server reports a different `X-RateLimit-Limit`). */
  setLimit(key: string, lane: string, limit: LaneLimit): void {
    const budget = this.#budget(key);
    if (!budget) return;
    const existing = budget.buckets.get(lane);
    // A limit without a window keeps the window the budget was configured with (time-scaled in benchmarks).
    const windowMs =
      limit.windowMs ??
      (existing && existing.refillPerMs > 0 ? existing.capacity / existing.refillPerMs : 60_000);
    const refill = limit.limit / windowMs;
    if (existing) {
      existing.capacity = limit.limit;
      existing.refillPerMs = refill;
    } else {
      budget.buckets.set(lane, new TokenBucket(limit.limit, refill, this.#clock.now()));
    }
  }

  /**
   * What each budget made so far has in hand now: per key and lane, the requests that may go at
   * once (whole tokens) of the bucket's size, and the refill as requests a minute. Read-only: a key
   * no request used yet has no budget and is not listed.
   */
  headroom(): LaneHeadroom[] {
    const now = this.#clock.now();
    const out: LaneHeadroom[] = [];
    for (const [key, budget] of this.#budgets)
      for (const [lane, bucket] of budget.buckets)
        out.push({
          key,
          lane,
          available: Math.max(0, Math.floor(bucket.tokens(now))),
          capacity: bucket.capacity,
          perMinute: Math.round(bucket.refillPerMs * 60_000),
        });
    return out;
  }

  /** How many requests `lane` of `key` alone would let go now (whole tokens; unlimited without a budget). */
  available(key: string, lane: string): number {
    const bucket = this.#budget(key)?.buckets.get(lane);
    if (!bucket) return Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    // A lane a 429 paused lets nothing go, whatever tokens it holds.
    return bucket.waitMs(now) > 0 ? 0 : Math.max(0, Math.floor(bucket.tokens(now)));
  }

  /** How long until `lane` of `key` alone has a slot (0: now; lanes every request draws from aside). */
  waitMs(key: string, lane: string): number {
    return this.#budget(key)?.buckets.get(lane)?.waitMs(this.#clock.now()) ?? 0;
  }

  inFlight(key: string): number {
    return this.#budgets.get(key)?.inFlight ?? 0;
  }

  #budget(key: string): Budget | undefined {
    const existing = this.#budgets.get(key);
    if (existing) return existing;
    const limits = this.#defaults(key);
    if (!limits) return undefined;
    const now = this.#clock.now();
    const buckets = new Map<string, TokenBucket>();
    for (const [lane, l] of Object.entries(limits.lanes)) {
      const refill = l.limit / (l.windowMs ?? 60_000);
      buckets.set(lane, new TokenBucket(l.burst ?? l.limit, refill, now, (l.marginMs ?? 0) * refill));
    }
    const budget = {
      buckets,
      everyRequest: limits.everyRequest ?? ["default"],
      inFlight: 0,
      concurrency: limits.concurrency ?? Number.POSITIVE_INFINITY,
      throttleWaitMs: limits.throttleWaitMs ?? 1000,
      waiters: [],
    };
    this.#budgets.set(key, budget);
    return budget;
  }
}
