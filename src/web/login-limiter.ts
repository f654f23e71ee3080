import type { Clock } from "../core/clock.ts";

/**
 * Counts failed logins per key (the client's address, and the user name) in a fixed window: after
 * `limit` failures within `windowMs`, that key is refused until the window ends (HTTP 429). Kept in
 * memory: a restart forgets the counts, which only gives a guesser another few tries per minute.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly clock: Pick<Clock, "now">;
  readonly limit: number;
  readonly windowMs: number;

  constructor(clock: Pick<Clock, "now">, limit = 5, windowMs = 60_000) {
    this.clock = clock;
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Seconds until `keys` may try again, or 0 when none of them is blocked. */
  retryAfterSeconds(keys: string[]): number {
    const now = this.clock.now();
    let wait = 0;
    for (const key of keys) {
      const entry = this.#current(key, now);
      if (entry && entry.count >= this.limit)
        wait = Math.max(wait, Math.ceil((entry.since + this.windowMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.clock.now();
    for (const key of keys) {
      const entry = this.#current(key, now) ?? { count: 0, since: now };
      entry.count += 1;
      this.#failures.set(key, entry);
    }
  }

  /** A successful login clears the user's count (not the address's: one address may try many users). */
  clear(key: string): void {
    this.#failures.delete(key);
  }

  #current(key: string, now: number) {
    const entry = this.#failures.get(key);
    if (entry && now - entry.since >= this.windowMs) {
      this.#failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
