import { activityLabel } from "../app/activity-label.ts";
import { count } from "../app/bookkeeping-words.ts";
import { defaultBudgets } from "../app/pass-budgets.ts";
import { estimateRemaining, formatDuration } from "../app/pass-estimate.ts";
import { PassProgress } from "../app/pass-progress.ts";
import type { ProgressEvent } from "../engine/sync-pass.ts";
import { clearProgressLine, showProgressLine } from "./terminal.ts";

export interface ProgressDisplay {
  onProgress(event: ProgressEvent): void;
  /** The pass's writes are done; what follows (the reconciliation) has no count. */
  note(label: string): void;
  /** What the pass had done so far: for the message when it is stopped. */
  tracker(): PassProgress;
  /** Removes the bar and shows the cursor again. Safe to call more than once. */
  stop(): void;
}

/**
 * One progress line for a whole pass, reads included: what it is doing, Clio records read,
 * QuickBooks writes sent of those planned, and an ETA for the rest of the pass from the rate
 * budgets (pass-estimate.ts). Only on a terminal; `--json` and pipes get none, but the tracker
 * still counts, for the stop message.
 */
export function progressDisplay(enabled: boolean, now: () => number = Date.now): ProgressDisplay {
  let tracker = new PassProgress(now());
  const budgets = defaultBudgets();
  let stopped = false;
  let fraction = 0;
  let label: string | undefined;
  const render = () => {
    if (!enabled || stopped) return;
    const estimate = estimateRemaining(tracker.snapshot(now()), budgets);
    const elapsed = now() - tracker.startedAt;
    // Never backwards: a revised estimate slows the line down rather than moving it back.
    if (estimate.remainingMs !== undefined)
      fraction = Math.max(fraction, elapsed / Math.max(1, elapsed + estimate.remainingMs));
    if (label !== undefined) fraction = 1;
    const writes = tracker.writes();
    const timeLeft =
      label !== undefined
        ? "almost done"
        : estimate.remainingMs === undefined
          ? "ETA once bills are read"
          : `ETA ${formatDuration(estimate.remainingMs)}`;
    showProgressLine(
      // The ETA before the counts: on a narrow terminal the line is cut at its end.
      ` ${label ?? activityLabel(tracker.activity())} ${bar(fraction)} ${Math.floor(fraction * 100)}% · ${timeLeft} · read ${count(tracker.recordsRead())} · sent ${count(writes.done)}/${count(writes.planned)}`,
    );
  };
  // The ETA and the elapsed share move between events too.
  const ticker = enabled ? setInterval(render, 1000) : undefined;
  ticker?.unref();
  return {
    onProgress(event) {
      // A new pass in the same process (interval mode) starts a new count.
      if (event.type === "reads") tracker = new PassProgress(now());
      tracker.apply(event, now());
      render();
    },
    note(text) {
      label = text;
      render();
    },
    tracker: () => tracker,
    stop() {
      if (stopped) return;
      stopped = true;
      if (ticker) clearInterval(ticker);
      if (enabled) clearProgressLine();
    },
  };
}

function bar(fraction: number, width = 12): string {
  const full = Math.round(fraction * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}]`;
}
