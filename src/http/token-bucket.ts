/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerMs`. Time comes from the
 * caller so the bucket is pure and testable.
 */
export class TokenBucket {
  capacity: number;
  refillPerMs: number;
  #tokens: number;
  #updatedAt: number;
  /** A 429 blocks the bucket until then, without spending its tokens. */
  #blockedUntil = 0;

  /**
   * Tokens kept back beyond the one a request takes (see LaneLimit.marginMs): a request goes once
   * the bucket holds `1 + reserve`, or is full.
   */
  reserve: number;

  constructor(capacity: number, refillPerMs: number, now: number, reserve = 0) {
    this.capacity = capacity;
    this.refillPerMs = refillPerMs;
    this.reserve = reserve;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#updatedAt) * this.refillPerMs);
      this.#updatedAt = now;
    }
  }

  /** How long until a token can be taken (0: now). */
  waitMs(now: number): number {
    this.#refill(now);
    if (now < this.#blockedUntil) return this.#blockedUntil - now;
    const need = Math.max(1, Math.min(this.capacity, 1 + this.reserve));
    if (this.#tokens >= need) return 0;
    return this.refillPerMs > 0 ? Math.ceil((need - this.#tokens) / this.refillPerMs) : 60_000;
  }

  /** Takes one token if there is one; otherwise returns how long until there will be. */
  tryTake(now: number): { ok: true } | { ok: false; waitMs: number } {
    const waitMs = this.waitMs(now);
    if (waitMs > 0) return { ok: false, waitMs };
    this.#tokens -= 1;
    return { ok: true };
  }

  tokens(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** The server said how many calls remain: never believe we have more than that. */
  clampTo(remaining: number, now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, remaining);
  }

  /** The window is spent until `until` (the server's reset time): refill reaches one token exactly then. */
  emptyUntil(until: number, now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, 1 - Math.max(0, until - now) * this.refillPerMs);
    if (this.refillPerMs === 0) this.#tokens = 0;
  }

  /**
   * The server answered 429: nothing before `until`. The tokens are kept — the server may throttle
   * for reasons of its own (a burst from another process) — and a further 429 pauses again.
   */
  blockUntil(until: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, until);
  }
}
