/**
 * Faults injected through the admin API: throttles (429), server errors (500/503), slow answers,
 * timeouts, connection resets, and lost answers (executed, then the connection drops), for requests whose path matches. A rule fires either for the
 * next `count` matching requests or with probability `rate` from a seeded generator, so runs are
 * reproducible.
 */
/** `lost` carries the request out and then drops the connection: the write happened, the answer is lost. */
export type FaultKind = "429" | "500" | "503" | "slow" | "timeout" | "reset" | "lost";

export interface FaultRule {
  kind: FaultKind;
  /** Substring of the path (after /v3/company/{realm}), or a regex written as /…/. Empty = all. */
  path?: string;
  method?: string;
  /** Probability 0..1 for each matching request. */
  rate?: number;
  /** Fire for this many matching requests, then stop. */
  count?: number;
  /** For slow/timeout: how long to wait (ms). */
  delayMs?: number;
  /**
   * For 429: the HTTP status of the throttle answer. 403 replays older incidents in which the
   * 3001 throttle fault came with HTTP 403 (reference §7). (Default: 429)
   */
  status?: 429 | 403;
  /**
   * For 429: a `Retry-After` header in seconds. The real service is not known to send one, so by
   * default none is sent (clients then wait Intuit's 60 s).
   */
  retryAfter?: number;
}

export interface LatencyConfig {
  minMs: number;
  maxMs: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  rules: FaultRule[] = [];
  latency: LatencyConfig = { minMs: 0, maxMs: 0 };
  #random: () => number;
  #seed: number;

  constructor(seed = 1) {
    this.#seed = seed;
    this.#random = mulberry32(seed);
  }

  set(rules: FaultRule[], seed?: number): void {
    this.rules = rules.map((r) => ({ ...r }));
    if (seed !== undefined) this.#seed = seed;
    this.#random = mulberry32(this.#seed);
  }

  clear(): void {
    this.rules = [];
    this.latency = { minMs: 0, maxMs: 0 };
  }

  #pathMatches(rule: FaultRule, path: string): boolean {
    if (!rule.path) return true;
    if (rule.path.length > 2 && rule.path.startsWith("/") && rule.path.endsWith("/")) {
      return new RegExp(rule.path.slice(1, -1), "i").test(path);
    }
    return path.toLowerCase().includes(rule.path.toLowerCase());
  }

  /** The rule that fires for this request, if any. */
  pick(method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!this.#pathMatches(rule, path)) continue;
      if (rule.count !== undefined) {
        if (rule.count <= 0) continue;
        rule.count -= 1;
        return rule;
      }
      if (this.#random() < (rule.rate ?? 1)) return rule;
    }
    return undefined;
  }

  latencyMs(): number {
    const { minMs, maxMs } = this.latency;
    if (maxMs <= 0) return 0;
    return Math.round(minMs + (maxMs - minMs) * this.#random());
  }
}
