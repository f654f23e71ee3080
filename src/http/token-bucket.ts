/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerMs`. Time comes from the
 * caller so the bucket is pure and testable.
 */
export class TokenBucket {
  capacity: number;
  refillPerMs: number;
  #tokens: number;
  #updatedAt: number;

  constructor(capacity: number, refillPerMs: number, now: number) {
    this.capacity = capacity;
    this.refillPerMs = refillPerMs;
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#updatedAt) * this.refillPerMs);
      this.#updatedAt = now;
    }
  }

  /** Takes one token if there is one; otherwise returns how long until there will be. */
  tryTake(now: number): { ok: true } | { ok: false; waitMs: number } {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const waitMs = this.refillPerMs > 0 ? Math.ceil((1 - this.#tokens) / this.refillPerMs) : 60_000;
    return { ok: false, waitMs };
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

  /** Nothing may be taken before `until` (a 429, or a window reset announced by the server). */
  emptyUntil(until: number, now: number): void {
    this.#refill(now);
    // Negative tokens make refill reach 1 exactly at `until`.
    this.#tokens = Math.min(this.#tokens, 1 - Math.max(0, until - now) * this.refillPerMs);
    if (this.refillPerMs === 0) this.#tokens = 0;
  }
}
