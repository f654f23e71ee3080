/**
 * QBO items and accounts lexbridge relies on (the Service items on invoice and credit memo lines,
 * the trust bank and liability accounts) that were made inactive in QBO (issue 10, rule 2). QBO
 * refuses a new transaction that references one (fault 610, "made inactive") and keeps its name,
 * so lexbridge neither re-creates it (6240) nor sends what needs it: one Sync Status item per
 * inactive item or account, and each record that would use it waits on that item. Pure: what the
 * planners decide from the refs read at the start of the phase.
 */
import type { IssueInput, SyncIssue } from "../../store/port.ts";

export interface InactiveRef {
  entity: "Item" | "Account";
  /** The QBO id. */
  id: string;
  /** Its name in QBO, for the Sync Status item. */
  name: string;
  /** Its SyncToken when last seen, for the sparse update that reactivates it. */
  syncToken: string;
}

/** Inactive refs by `refKey`. */
export type InactiveRefs = ReadonlyMap<string, InactiveRef>;

export const refKey = (entity: InactiveRef["entity"], id: string) => `${entity}:${id}`;

/** Inactive refs keyed as the planners look them up (the SyncToken only matters to reactivation). */
export function inactiveRefsOf(
  list: Array<Omit<InactiveRef, "syncToken"> & { syncToken?: string }>,
): Map<string, InactiveRef> {
  return new Map(list.map((r) => [refKey(r.entity, r.id), { syncToken: "0", ...r }]));
}

/** The Sync Status key of an inactive item or account: one item each, whatever waits on it. */
export function inactiveIssueKey(ref: Pick<InactiveRef, "entity" | "id">): string {
  return `${ref.entity === "Item" ? "qbo_item" : "qbo_account"}:${ref.id}`;
}

/** The Sync Status item saying that an item or account lexbridge uses was made inactive. */
export function inactiveRefIssue(ref: InactiveRef): IssueInput {
  const what =
    ref.entity === "Item"
      ? `QuickBooks item "${ref.name}" (id ${ref.id}), which lexbridge puts on invoice and credit memo lines,`
      : `QuickBooks account "${ref.name}" (id ${ref.id}), which lexbridge posts trust entries to,`;
  return {
    key: inactiveIssueKey(ref),
    code: ref.entity === "Item" ? "sync_item_inactive" : "sync_account_inactive",
    message: `${what} was made inactive in QuickBooks; what uses it waits until it is active again (re-sync this item to reactivate it)`,
    entity: "run",
    qboId: ref.id,
    qboName: ref.name,
  };
}

/** The first of `ids` (of one entity) that is inactive. */
export function firstInactive(
  refs: InactiveRefs | undefined,
  entity: InactiveRef["entity"],
  ids: Iterable<string>,
): InactiveRef | undefined {
  if (!refs || refs.size === 0) return undefined;
  for (const id of ids) {
    const ref = refs.get(refKey(entity, id));
    if (ref) return ref;
  }
  return undefined;
}

/** The item ids on the lines of a mapped invoice or credit memo body. */
export function itemIdsOf(body: Record<string, unknown>): string[] {
  const lines = Array.isArray(body.Line) ? (body.Line as Array<Record<string, unknown>>) : [];
  const ids: string[] = [];
  for (const line of lines) {
    const detail = line.SalesItemLineDetail as { ItemRef?: { value?: unknown } } | undefined;
    const id = detail?.ItemRef?.value;
    if (id !== undefined && id !== null) ids.push(String(id));
  }
  return ids;
}

/** What a record that would use an inactive item or account says while it waits on it. */
export function waitsOnInactive(
  name: string,
  ref: InactiveRef,
): Pick<IssueInput, "code" | "message" | "blockedBy"> {
  const what = ref.entity === "Item" ? "item" : "account";
  return {
    code: "sync_reference_inactive",
    blockedBy: inactiveIssueKey(ref),
    message: `${name} waits for QuickBooks ${what} "${ref.name}" (id ${ref.id}), made inactive in QuickBooks (re-sync the item ${inactiveIssueKey(ref)})`,
  };
}

/** The inactive refs whose item the person asked to re-sync: to be made active again now. */
export function refsToReactivate(
  refs: InactiveRefs,
  openIssues: ReadonlyMap<string, SyncIssue>,
): InactiveRef[] {
  return [...refs.values()].filter((ref) => openIssues.get(inactiveIssueKey(ref))?.retryRequested === true);
}
