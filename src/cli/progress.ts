import { Presets, SingleBar } from "cli-progress";
import type { ProgressEvent } from "../engine/sync-pass.ts";

/**
 * A progress bar with an ETA for the writes of a sync pass (only on a terminal; `--json` and
 * pipes get no bar). Each phase announces its total; each finished batch moves the bar.
 */
export function progressReporter(enabled: boolean): { onProgress: (e: ProgressEvent) => void; stop(): void } {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      format: " {phase} [{bar}] {value}/{total} | ETA {eta_formatted} | read {pulled}",
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  let total = 0;
  let pulled = 0;
  return {
    onProgress(e) {
      if (e.type === "pulled") {
        pulled += e.records;
        if (started) bar.update({ pulled });
        return;
      }
      if (e.type === "phase") {
        total += e.total;
        if (!started) {
          bar.start(Math.max(total, 1), 0, { phase: e.phase, pulled });
          started = true;
        } else bar.setTotal(Math.max(total, 1));
        bar.update({ phase: e.phase });
        return;
      }
      if (started) bar.increment(e.done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
