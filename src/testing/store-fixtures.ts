import type { Link, SyncIssue } from "../store/port.ts";

/** A link as the store would hold it (linked, SyncToken 1), for planner tables. */
export function linkFixture(
  entity: Link["entity"],
  clioId: string,
  qboId: string,
  over: Partial<Link> = {},
): Link {
  return {
    entity,
    clioId,
    qboId,
    syncToken: "1",
    state: "linked",
    contentHash: "old",
    qboEditedAt: null,
    baseline: null,
    updatedAt: 1,
    ...over,
  };
}

/** An open Sync Status item, seen once. */
export function openItem(key: string, code: string, over: Partial<SyncIssue> = {}): SyncIssue {
  return {
    id: 1,
    key,
    code,
    message: "",
    entity: "contact",
    state: "open",
    firstSeen: 1,
    lastSeen: 1,
    attempts: 1,
    retryRequested: false,
    ...over,
  };
}
