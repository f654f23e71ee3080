import type { describeIssue } from "../cli/commands/status.ts";

export type DescribedIssue = ReturnType<typeof describeIssue>;

export interface StatusSection {
  title: string;
  items: DescribedIssue[];
}

/**
 * How the Sync Status page groups its items. For now one flat list; the grouping by root cause
 * (what waits on what) replaces this function alone.
 */
export function statusSections(items: DescribedIssue[]): StatusSection[] {
  return items.length === 0 ? [] : [{ title: `Open items (${items.length})`, items }];
}
