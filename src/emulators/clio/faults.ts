/**
 * Fault injection for the API paths: each rule matches a method and a path prefix and fires with
 * a rate, drawn from a seeded generator so runs repeat. Kinds: 429, 500, 503, slow (delay then
 * answer), timeout (delay long, then 504), reset (drop the connection; in-process, a 502 marked
 * X-Emulator-Fault: reset).
 */
export type FaultKind = "429" | "500" | "503" | "slow" | "timeout" | "reset";

export interface FaultRule {
  kind: FaultKind;
  /** 0..1 */
  rate: number;
  /** Path prefix after the host, e.g. "/api/v4/bills". Default: every API path. */
  path?: string;
  method?: string;
  /** For slow/timeout: the delay in ms (slow default 2000, timeout default 120000). */
  delayMs?: number;
  /** Fire at most this many times. */
  count?: number;
}

export interface FaultSettings {
  rules: FaultRule[];
  seed: number;
}

export class FaultInjector {
  rules: Array<FaultRule & { fired: number }> = [];
  #state = 1;

  configure(settings: Partial<FaultSettings>): void {
    this.rules = (settings.rules ?? []).map((r) => ({ ...r, fired: 0 }));
    this.#state = (settings.seed ?? 1) >>> 0 || 1;
  }

  /** The fault to apply to this request, if any. */
  pick(method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path && !path.startsWith(rule.path)) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (this.#next() < rule.rate) {
        rule.fired++;
        return rule;
      }
    }
    return undefined;
  }

  /** xorshift32: a tiny deterministic generator. */
  #next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 0x1_0000_0000;
  }
}
