import { groupByRootCause, itemLabel, keyLabel, type StatusItem } from "../app/sync-status-view.ts";

/**
 * The demo's closing lines about Sync Status: the few root causes that hold the most back, in
 * words (title, record, how many items wait on it), not a count per code — a bookkeeper fixes
 * causes, and `lexbridge status` shows the rest.
 */
export function rootCauseLines(items: readonly StatusItem[], shown = 5): string[] {
  const groups = groupByRootCause(items);
  const lines = groups.slice(0, shown).map((g) => {
    const what = g.item ? `#${g.item.id} ${g.item.title}: ${itemLabel(g.item)}` : keyLabel(g.key);
    return `    ${what}${g.waiting > 0 ? ` — ${g.waiting} more wait on it` : ""}`;
  });
  if (groups.length > shown) lines.push(`    … and ${groups.length - shown} more root causes`);
  return lines;
}
