/**
 * Throttling per realm as QBO does it (reference §7): 500 requests/minute, 10 concurrent
 * requests, 40 batch requests/minute — all configurable, with a time-scale factor so a benchmark
 * can compress minutes (timeScale 60 refills a minute's budget in one second).
 */
import type { Clock } from "../../core/clock.ts";

export interface QuotaConfig {
  perMinute: number;
  concurrent: number;
  batchPerMinute: number;
  /** >1 makes budgets refill faster (time passes faster for the quotas). */
  timeScale: number;
  /** Answer throttling with the XML body the real service has sent even for JSON requests. */
  xmlThrottle: boolean;
  /** Turn throttling off entirely. */
  enabled: boolean;
}

export const defaultQuotas: QuotaConfig = {
  perMinute: 500,
  concurrent: 10,
  batchPerMinute: 40,
  timeScale: 1,
  xmlThrottle: false,
  enabled: true,
};

interface Bucket {
  tokens: number;
  at: number;
}

export class Quotas {
  config: QuotaConfig;
  #clock: Clock;
  #buckets = new Map<string, Bucket>();
  #inFlight = new Map<string, number>();

  constructor(clock: Clock, config: Partial<QuotaConfig> = {}) {
    this.#clock = clock;
    this.config = { ...defaultQuotas, ...config };
  }

  configure(patch: Partial<QuotaConfig>): QuotaConfig {
    this.config = { ...this.config, ...patch };
    this.#buckets.clear();
    return this.config;
  }

  reset(): void {
    this.#buckets.clear();
    this.#inFlight.clear();
  }

  #take(key: string, perMinute: number): boolean {
    const now = this.#clock.now();
    const b = this.#buckets.get(key) ?? { tokens: perMinute, at: now };
    const refill = ((now - b.at) * perMinute * this.config.timeScale) / 60_000;
    b.tokens = Math.min(perMinute, b.tokens + refill);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Takes a slot for one request; returns a release function, or undefined when throttled. */
  acquire(realmId: string, batch: boolean): (() => void) | undefined {
    if (!this.config.enabled) return () => {};
    const running = this.#inFlight.get(realmId) ?? 0;
    if (running >= this.config.concurrent) return undefined;
    if (batch && !this.#take(`${realmId}:batch`, this.config.batchPerMinute)) return undefined;
    if (!this.#take(realmId, this.config.perMinute)) return undefined;
    this.#inFlight.set(realmId, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight.set(realmId, (this.#inFlight.get(realmId) ?? 1) - 1);
    };
  }
}
