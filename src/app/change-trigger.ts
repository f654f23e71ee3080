import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { SyncTargets } from "../engine/targeted-reads.ts";
import { changeSyncOf, type NamedChange } from "./targeted-changes.ts";

export type { NamedChange } from "./targeted-changes.ts";

/** How a targeted sync ended: written, failed (the next pass carries it), or the pass must run. */
export type TargetedOutcome = "done" | "failed" | { fallback: string };

export interface ChangeTriggerOptions {
  runner: { runNow(): Promise<void>; status(): { lastError?: string } };
  /**
   * Runs a targeted sync of the named records, never beside a pass (serve runs it through the
   * PassRunner's exclusive slot). Without it every delivery runs the ordinary pass.
   */
  runTargeted?(targets: SyncTargets, records: number): Promise<TargetedOutcome>;
  clock: Clock;
  logger: Logger;
  /** Deliveries within this window share one sync (a bill and its payment, an aggregated batch). */
  debounceMs?: number;
  /**
   * Called once the sync that covered a delivery has succeeded, with the time since its receipt
   * (a failed one leaves the change to the next pass, so it measures nothing).
   */
  onCovered?(provider: string, ms: number): void;
}

type Waiting = NamedChange & { receivedAt: number };

/**
 * Turns webhook deliveries into a sync within seconds: the first delivery starts a short wait
 * (debounce), then the records named meanwhile are synced together — by a targeted sync of just
 * those records (targeted-changes.ts decides), or by the ordinary incremental pass when they are
 * too many or of a kind a targeted sync does not read. One sync of deliveries runs at a time:
 * deliveries that come while it runs wait for it and are then synced together.
 */
export class ChangeTrigger {
  readonly #o: Required<Pick<ChangeTriggerOptions, "debounceMs">> & ChangeTriggerOptions;
  #waiting: Waiting[] = [];
  #cancel: (() => void) | undefined;
  #busy = false;
  #inflight = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: ChangeTriggerOptions) {
    this.#o = { debounceMs: 1000, ...options };
  }

  notify(receivedAt: number, changes: NamedChange[]): void {
    if (this.#stopped) return;
    for (const change of changes) this.#waiting.push({ ...change, receivedAt });
    this.#arm();
  }

  /** Resolves once every sync started for deliveries so far has finished. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  /** The debounce counts from the first waiting delivery: one that waited out a sync goes at once. */
  #arm(): void {
    if (this.#busy || this.#stopped || this.#waiting.length === 0 || this.#cancel) return;
    const waited = this.#o.clock.now() - this.#waiting[0]!.receivedAt;
    this.#cancel = this.#o.clock.setTimer(() => this.#fire(), Math.max(0, this.#o.debounceMs - waited));
  }

  #fire(): void {
    this.#cancel = undefined;
    const covered = this.#waiting;
    this.#waiting = [];
    if (covered.length === 0) return;
    this.#busy = true;
    const sync = this.#sync(covered)
      .catch((error: unknown) =>
        this.#o.logger.error({ err: error }, "webhook: the sync failed; the next pass carries the change"),
      )
      .finally(() => {
        this.#busy = false;
        this.#inflight.delete(sync);
        this.#arm();
      });
    this.#inflight.add(sync);
  }

  async #sync(covered: Waiting[]): Promise<void> {
    const records = covered.map(({ provider, kind, id, event }) => `${provider}:${kind}:${id}:${event}`);
    const decision = this.#o.runTargeted
      ? changeSyncOf(covered)
      : { fallback: "targeted syncs are not available here" };
    if ("targets" in decision) {
      const label = `webhook: targeted sync of ${decision.records} record${decision.records === 1 ? "" : "s"}`;
      this.#o.logger.info({ records }, label);
      const outcome = await this.#o.runTargeted!(decision.targets, decision.records);
      if (outcome === "done") return this.#covered(covered);
      if (outcome === "failed") return; // logged where it failed; the next pass carries it
      this.#o.logger.info(
        { records, reason: outcome.fallback },
        "webhook: targeted sync gave way to a sync pass",
      );
    } else {
      this.#o.logger.info({ records, reason: decision.fallback }, "webhook changes: running a sync pass");
    }
    await this.#o.runner.runNow();
    if (this.#o.runner.status().lastError === undefined) this.#covered(covered);
  }

  #covered(covered: Waiting[]): void {
    const now = this.#o.clock.now();
    for (const c of covered) this.#o.onCovered?.(c.provider, now - c.receivedAt);
  }
}
