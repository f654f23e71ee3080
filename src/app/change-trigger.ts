import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";

export interface NamedChange {
  provider: string;
  kind: string;
  id: string;
  event: string;
}

export interface ChangeTriggerOptions {
  runner: { runNow(): Promise<void>; status(): { lastError?: string } };
  clock: Clock;
  logger: Logger;
  /** Deliveries within this window share one pass (a bill and its payment, an aggregated batch). */
  debounceMs?: number;
  /**
   * Called once the pass that covered a delivery has succeeded, with the time since its receipt
   * (a failed pass leaves the change to the next one, so it measures nothing).
   */
  onCovered?(provider: string, ms: number): void;
}

/**
 * Turns webhook deliveries into a sync within seconds: the first delivery starts a short wait
 * (debounce), then one pass runs through the PassRunner (which never overlaps passes: a pass
 * already running is followed by one more). The pass is the ordinary incremental one, which reads
 * what changed since the last pass, so it includes the records the deliveries named.
 */
export class ChangeTrigger {
  readonly #o: Required<Omit<ChangeTriggerOptions, "onCovered">> & Pick<ChangeTriggerOptions, "onCovered">;
  #waiting: Array<NamedChange & { receivedAt: number }> = [];
  #cancel: (() => void) | undefined;
  #inflight = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: ChangeTriggerOptions) {
    this.#o = { debounceMs: 1000, ...options };
  }

  notify(receivedAt: number, changes: NamedChange[]): void {
    if (this.#stopped) return;
    for (const change of changes) this.#waiting.push({ ...change, receivedAt });
    this.#cancel ??= this.#o.clock.setTimer(() => this.#fire(), this.#o.debounceMs);
  }

  /** Resolves once every pass started for deliveries so far has finished. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #fire(): void {
    this.#cancel = undefined;
    const covered = this.#waiting;
    this.#waiting = [];
    if (covered.length === 0) return;
    this.#o.logger.info(
      { records: covered.map(({ provider, kind, id, event }) => `${provider}:${kind}:${id}:${event}`) },
      "webhook changes: running a sync pass",
    );
    const pass = this.#o.runner
      .runNow()
      .then(() => {
        if (this.#o.runner.status().lastError !== undefined) return;
        const now = this.#o.clock.now();
        for (const c of covered) this.#o.onCovered?.(c.provider, now - c.receivedAt);
      })
      .finally(() => this.#inflight.delete(pass));
    this.#inflight.add(pass);
  }
}
