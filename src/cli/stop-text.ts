import { count, phaseNoun, streamNoun } from "../app/bookkeeping-words.ts";
import type { Activity } from "../app/pass-progress.ts";

const RESUMES = "the next run resumes where this one stopped.";

/** Where a run was when it was stopped: what the closing message tells. */
export type StopPoint =
  | { stage: "between passes"; passes: number }
  | {
      stage: "pass";
      activity: Activity;
      recordsRead: number;
      writes: { done: number; planned: number };
    }
  | { stage: "reconciling"; writes: number };

/**
 * The message a stopped run ends with, in a bookkeeper's words: what was done, and that nothing
 * is lost (what was sent is committed, what was not is sent by the next run, never twice).
 */
export function stopMessage(point: StopPoint): string {
  if (point.stage === "between passes")
    return `Stopped between passes (${count(point.passes)} ${point.passes === 1 ? "pass" : "passes"} ran); the next run syncs what changed since.`;
  if (point.stage === "reconciling")
    return `Stopped during the reconciliation after the pass; the pass itself was complete (${count(point.writes)} writes sent). The next run reconciles again.`;
  const { activity, writes, recordsRead } = point;
  if (activity.kind === "writing") {
    const earlier = writes.done - activity.done;
    const more = earlier > 0 ? ` (and ${count(earlier)} earlier writes)` : "";
    return `Stopped. Sent ${count(activity.done)} of ${count(activity.total)} ${phaseNoun(activity.phase)}${more}; ${RESUMES}`;
  }
  const sent = writes.done > 0 ? `, ${count(writes.done)} writes sent` : "";
  if (activity.kind === "reading")
    return `Stopped while reading ${streamNoun(activity.stream)} from Clio (${count(recordsRead)} records read${sent}); ${RESUMES}`;
  if (writes.done > 0)
    return `Stopped. Sent ${count(writes.done)} of ${count(writes.planned)} planned writes; ${RESUMES}`;
  return "Stopped before anything was sent; the next run starts the pass again.";
}
