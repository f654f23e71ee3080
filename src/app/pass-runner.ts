import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { isStopRequested } from "../core/stop.ts";

/** What the dashboard shows of the passes `serve` runs. */
export interface PassRunnerStatus {
  running: boolean;
  lastStartedAt?: number;
  lastFinishedAt?: number;
  /** The last pass's error message, until a pass succeeds. */
  lastError?: string;
  /** The last pass's error itself (until a pass succeeds), for a caller that reports it (the demo). */
  lastFailure?: unknown;
  lastSummary?: unknown;
}

/**
 * Runs sync passes one at a time, every interval and on request (a re-sync from the dashboard).
 * Passes never overlap: a request made while a pass runs is served by one more pass right after it
 * (many requests share that one), because the running pass may already have read past the item.
 * A failed pass is logged and recorded; the next interval tries again.
 */
export class PassRunner {
  readonly #run: () => Promise<unknown>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #current: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  #stopped = false;
  readonly #status: PassRunnerStatus = { running: false };

  constructor(run: () => Promise<unknown>, clock: Clock, logger: Logger) {
    this.#run = run;
    this.#clock = clock;
    this.#logger = logger;
  }

  status(): PassRunnerStatus {
    return { ...this.#status };
  }

  /** Resolves when a pass that started after this call has finished (whatever its outcome). */
  runNow(): Promise<void> {
    if (this.#queued) return this.#queued;
    if (!this.#current) return this.#start();
    const queued = this.#current.then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    this.#queued = queued;
    return queued;
  }

  /** Resolves once no pass runs or waits (the running one and a queued one, if any, are done). */
  async whenIdle(): Promise<void> {
    while (this.#current || this.#queued) await (this.#queued ?? this.#current);
  }

  /**
   * Runs `task` (a full reconciliation from the dashboard, a targeted sync of what webhooks named)
   * once no pass runs or waits, and holds every pass off until it ends: passes requested meanwhile
   * run right after it. Its outcome is the caller's; it is not recorded as a pass.
   */
  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    while (this.#current || this.#queued) await this.whenIdle();
    if (this.#stopped) throw new Error("serve is stopping");
    const run = task();
    const release = () => {
      this.#current = undefined;
    };
    this.#current = run.then(release, release);
    return run;
  }

  /**
   * A pass now, then one interval after each pass ends, until `stop`. The interval is read anew
   * after each pass (a function), so a changed setting counts from the next wait.
   */
  startEvery(intervalMs: number | (() => number)): void {
    const interval = typeof intervalMs === "number" ? () => intervalMs : intervalMs;
    const tick = () => {
      if (this.#stopped) return;
      void this.runNow().then(() => {
        if (!this.#stopped) this.#cancelTimer = this.#clock.setTimer(tick, interval());
      });
    };
    tick();
  }

  /** No new passes; resolves once the running one (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    await this.#queued;
    await this.#current;
  }

  #start(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#status.running = true;
    this.#status.lastStartedAt = this.#clock.now();
    const current = this.#run()
      .then(
        (summary) => {
          this.#status.lastSummary = summary;
          delete this.#status.lastError;
          delete this.#status.lastFailure;
        },
        (error: unknown) => {
          this.#status.lastError = error instanceof Error ? error.message : String(error);
          this.#status.lastFailure = error;
          // Ctrl+C ends the pass in flight (the demo): said by the stop message, not as a failure.
          if (isStopRequested(error)) this.#logger.info("sync pass stopped");
          else this.#logger.error({ err: error }, "sync pass failed; retrying at the next interval");
        },
      )
      .finally(() => {
        this.#status.running = false;
        this.#status.lastFinishedAt = this.#clock.now();
        this.#current = undefined;
      });
    this.#current = current;
    return current;
  }
}
