import { SingleBar } from "cli-progress";
import { clioRateBudget } from "../clio/rate-budget.ts";
import { BATCH_SIZE } from "../engine/executor.ts";
import type { ProgressEvent } from "../engine/sync-pass.ts";
import { qboBudget } from "../qbo/index.ts";
import { count, phaseNoun, streamNoun } from "./bookkeeping-words.ts";
import { estimateRemaining, formatDuration, type RateBudgets } from "./pass-estimate.ts";
import { type Activity, PassProgress } from "./pass-progress.ts";
import { setProgressShown } from "./terminal.ts";

/** The budgets the engine's limiters start from (clio/rate-budget.ts, qbo/index.ts). */
export function defaultBudgets(): RateBudgets {
  const clio = clioRateBudget().lanes.default!;
  const qboBatch = qboBudget("qbo:")!.lanes.batch!;
  return {
    clioPerMinute: clio.limit,
    clioBurst: clio.burst ?? clio.limit,
    clioPageSize: 200,
    qboBatchesPerMinute: qboBatch.limit,
    qboBatchBurst: qboBatch.burst ?? qboBatch.limit,
    batchSize: BATCH_SIZE,
  };
}

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
  const bar = enabled
    ? new SingleBar({
        format: " {label} [{bar}] {percentage}% · {counts} · {eta}",
        hideCursor: true,
        barsize: 16,
        barCompleteChar: "#",
        barIncompleteChar: "-",
      })
    : undefined;
  let started = false;
  let stopped = false;
  let fraction = 0;
  let label: string | undefined;
  const render = () => {
    if (!bar || stopped) return;
    const estimate = estimateRemaining(tracker.snapshot(now()), budgets);
    const elapsed = now() - tracker.startedAt;
    if (estimate.remainingMs !== undefined)
      fraction = Math.max(fraction, elapsed / Math.max(1, elapsed + estimate.remainingMs));
    const writes = tracker.writes();
    const payload = {
      label: label ?? activityLabel(tracker.activity()),
      counts: `read ${count(tracker.recordsRead())} · sent ${count(writes.done)}/${count(writes.planned)}`,
      eta:
        label !== undefined
          ? "almost done"
          : estimate.remainingMs === undefined
            ? "ETA once bills are read"
            : `ETA ${formatDuration(estimate.remainingMs)}`,
    };
    if (!started) {
      bar.start(1000, Math.round(fraction * 1000), payload);
      setProgressShown(true);
      started = true;
    } else bar.update(Math.round(fraction * 1000), payload);
  };
  const ticker = bar ? setInterval(render, 1000) : undefined;
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
      if (started) bar?.stop();
      setProgressShown(false);
    },
  };
}

function activityLabel(activity: Activity): string {
  if (activity.kind === "reading") return `Reading ${streamNoun(activity.stream)} from Clio`;
  if (activity.kind === "writing") return `Sending ${phaseNoun(activity.phase)}`;
  return "Starting";
}
