import type { ProgressEvent } from "../engine/sync-pass.ts";
import { activityLabel } from "./activity-label.ts";
import { estimateRemaining, formatDuration, type RateBudgets } from "./pass-estimate.ts";
import { PassProgress } from "./pass-progress.ts";

/** What the dashboard shows of serve's current or last pass (sent as JSON over server-sent events). */
export interface ProgressView {
  state: "idle" | "running" | "done" | "failed";
  /** What the pass is doing, or how it ended. */
  label: string;
  /** 0–100; within a pass it never goes backwards. */
  percent: number;
  /** "ETA 2 min", "ETA once bills are read", "almost done"; empty when no pass runs. */
  eta: string;
  recordsRead: number;
  writesDone: number;
  writesPlanned: number;
  /** Passes finished (either way) since serve started. */
  passes: number;
}

type Listener = (view: ProgressView) => void;

/**
 * The progress of serve's passes for the dashboard: the same counts and ETA as the terminal's
 * progress line (PassProgress and the rate-budget estimate), kept for whoever watches. Listeners
 * hear every change; the ETA also moves between events, so a watcher asks for `view()` now and
 * then. The clock is the caller's, so tests need no waiting.
 */
export class LiveProgress {
  readonly #now: () => number;
  readonly #budgets: RateBudgets;
  readonly #listeners = new Set<Listener>();
  #tracker?: PassProgress;
  #state: ProgressView["state"] = "idle";
  #note?: string;
  #error?: string;
  #fraction = 0;
  #passes = 0;

  constructor(now: () => number, budgets: RateBudgets) {
    this.#now = now;
    this.#budgets = budgets;
  }

  passStarted(): void {
    this.#tracker = new PassProgress(this.#now());
    this.#state = "running";
    this.#note = undefined;
    this.#error = undefined;
    this.#fraction = 0;
    this.#changed();
  }

  apply(event: ProgressEvent): void {
    if (this.#state !== "running") this.passStarted();
    this.#tracker!.apply(event, this.#now());
    this.#changed();
  }

  /** The writes are done; what follows (the reconciliation) has no count. */
  note(label: string): void {
    this.#note = label;
    this.#changed();
  }

  passEnded(error?: string): void {
    this.#state = error === undefined ? "done" : "failed";
    this.#error = error;
    this.#passes++;
    this.#changed();
  }

  view(): ProgressView {
    const tracker = this.#tracker;
    const writes = tracker?.writes() ?? { done: 0, planned: 0 };
    const base = {
      state: this.#state,
      recordsRead: tracker?.recordsRead() ?? 0,
      writesDone: writes.done,
      writesPlanned: writes.planned,
      passes: this.#passes,
    };
    if (this.#state === "idle") return { ...base, label: "No pass has run yet", percent: 0, eta: "" };
    if (this.#state === "done") return { ...base, label: "Done", percent: 100, eta: "" };
    if (this.#state === "failed")
      return { ...base, label: `Failed: ${this.#error}`, percent: Math.floor(this.#fraction * 100), eta: "" };
    const now = this.#now();
    const estimate = estimateRemaining(tracker!.snapshot(now), this.#budgets);
    const elapsed = now - tracker!.startedAt;
    if (estimate.remainingMs !== undefined)
      this.#fraction = Math.max(this.#fraction, elapsed / Math.max(1, elapsed + estimate.remainingMs));
    if (this.#note !== undefined) this.#fraction = Math.max(this.#fraction, 0.99);
    return {
      ...base,
      label: this.#note ?? activityLabel(tracker!.activity()),
      percent: Math.floor(this.#fraction * 100),
      eta:
        this.#note !== undefined
          ? "almost done"
          : estimate.remainingMs === undefined
            ? "ETA once bills are read"
            : `ETA ${formatDuration(estimate.remainingMs)}`,
    };
  }

  /** Calls `listener` at every change until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get running(): boolean {
    return this.#state === "running";
  }

  #changed(): void {
    if (this.#listeners.size === 0) return;
    const view = this.view();
    for (const listener of this.#listeners) listener(view);
  }
}
