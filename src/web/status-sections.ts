import { groupByRootCause, itemLabel, keyLabel, type StatusItem } from "../app/sync-status-view.ts";

/** One block of the Sync Status page: the item that holds things back, and what waits on it. */
export interface StatusSection {
  /** The item itself; absent when the record everything waits for has no open item of its own. */
  item?: StatusItem;
  /** Heading when there is no item (the key in words). */
  label: string;
  waiting: number;
  waitingByEntity: Record<string, number>;
  examples: StatusItem[];
}

/**
 * How the Sync Status page groups its items: unfiltered, one section per root cause with how many
 * items wait on it (the same grouping as `lexbridge status`); filtered by code or kind, or with
 * "each", every matching item as a section of its own, so a filter never hides what it matched.
 */
export function statusSections(all: StatusItem[], shown: StatusItem[], each: boolean): StatusSection[] {
  if (each || shown.length !== all.length)
    return shown.map((item) => ({
      item,
      label: itemLabel(item),
      waiting: 0,
      waitingByEntity: {},
      examples: [],
    }));
  return groupByRootCause(all).map((g) => ({
    ...(g.item ? { item: g.item } : {}),
    label: g.item ? itemLabel(g.item) : keyLabel(g.key),
    waiting: g.waiting,
    waitingByEntity: g.waitingByEntity,
    examples: g.examples,
  }));
}
