import { phaseNoun, streamNoun } from "./bookkeeping-words.ts";
import type { Activity } from "./pass-progress.ts";

/** What a pass is doing, in a bookkeeper's words: the progress line's and the dashboard's label. */
export function activityLabel(activity: Activity): string {
  if (activity.kind === "reading") return `Reading ${streamNoun(activity.stream)} from Clio`;
  if (activity.kind === "writing") return `Sending ${phaseNoun(activity.phase)}`;
  if (activity.kind === "planning") return "Comparing and planning";
  return "Starting";
}
