/**
 * The Sync Status list as a bookkeeper reads it, as pure functions over the stored items, what
 * the mirror says about each record and where the records live — shared by `lexbridge status`
 * and the web dashboard. Most items on a real firm wait on another one (a bill on its client, a
 * payment on its bill); each such item records the key of the item it waits for (`blockedBy`).
 * The view follows those keys to the root cause and lists one entry per root cause, with how many
 * items wait on it and a few of them as examples.
 */
import { errorCatalogue, isErrorCode } from "../core/error-catalogue/index.ts";
import type { SyncIssue } from "../store/port.ts";
import type { RecordFacts } from "./record-facts.ts";
import { type RecordLinks, type RecordSites, recordLinks } from "./record-links.ts";

/** One item, described: what, why, the fix, the names beside its ids, links to both records. */
export interface StatusItem extends RecordFacts {
  id: number;
  key: string;
  code: string;
  title: string;
  message: string;
  fix: string;
  state: SyncIssue["state"];
  entity: SyncIssue["entity"];
  clioId?: string;
  qboId?: string;
  /** The record's name as the engine labelled it ("Bill 71", a client's name, "Payment 7001"). */
  name?: string;
  qboName?: string;
  providerCode?: string;
  details?: Record<string, unknown>;
  /** The key of the item it waits for directly. */
  blockedBy?: string;
  firstSeen: number;
  lastSeen: number;
  attempts: number;
  retryRequested: boolean;
  links: RecordLinks;
}

/** What an item waits for in the end: the root item (absent when that record has no open item). */
export interface RootRef {
  key: string;
  id?: number;
}

export interface RootCause {
  key: string;
  /** The root's own item; absent when the record everything waits for has no open item. */
  item?: StatusItem;
  /** How many open items wait on it, directly or through another item. */
  waiting: number;
  /** The waiting items counted by kind (bill, payment, journal_entry, …). */
  waitingByEntity: Record<string, number>;
  /** The first few waiting items, in id order. */
  examples: StatusItem[];
}

export interface EachItem extends StatusItem {
  /** Set on an item that waits: the root cause it waits on. */
  rootCause?: RootRef;
  /** How many open items wait on this one, directly or not. */
  waitingOnIt: number;
}

export function describeItem(issue: SyncIssue, facts: RecordFacts, sites: RecordSites): StatusItem {
  const entry = isErrorCode(issue.code) ? errorCatalogue[issue.code] : undefined;
  const item: StatusItem = {
    id: issue.id,
    key: issue.key,
    code: issue.code,
    title: entry?.title ?? issue.code,
    message: issue.message,
    fix: entry?.fix ?? "",
    state: issue.state,
    entity: issue.entity,
    ...facts,
    firstSeen: issue.firstSeen,
    lastSeen: issue.lastSeen,
    attempts: issue.attempts,
    retryRequested: issue.retryRequested,
    links: recordLinks(issue, sites),
  };
  if (issue.clioId !== undefined) item.clioId = issue.clioId;
  if (issue.qboId !== undefined) item.qboId = issue.qboId;
  if (issue.clioName !== undefined) item.name = issue.clioName;
  if (issue.qboName !== undefined) item.qboName = issue.qboName;
  if (issue.providerCode !== undefined) item.providerCode = issue.providerCode;
  if (issue.details !== undefined) item.details = issue.details;
  if (issue.blockedBy !== undefined) item.blockedBy = issue.blockedBy;
  return item;
}

/**
 * The root key of every open item: follow `blockedBy` through open items until an item waits for
 * nothing, or for a record with no open item (that record's key is then the root). A cycle (which
 * the engine never makes) ends at the item where it closes.
 */
export function rootKeys(items: readonly StatusItem[]): Map<string, string> {
  const byKey = new Map(items.filter((i) => i.state === "open").map((i) => [i.key, i]));
  const roots = new Map<string, string>();
  for (const item of byKey.values()) {
    let current = item;
    const seen = new Set([current.key]);
    let root = current.key;
    while (current.blockedBy && !seen.has(current.blockedBy)) {
      root = current.blockedBy;
      const next = byKey.get(current.blockedBy);
      if (!next) break;
      seen.add(next.key);
      current = next;
    }
    roots.set(item.key, root);
  }
  return roots;
}

/** Open items grouped by root cause: most waiting first, then by id. */
export function groupByRootCause(items: readonly StatusItem[], examples = 3): RootCause[] {
  const roots = rootKeys(items);
  const groups = new Map<string, RootCause>();
  const open = items.filter((i) => i.state === "open").sort((a, b) => a.id - b.id);
  const group = (key: string) => {
    const g = groups.get(key) ?? { key, waiting: 0, waitingByEntity: {}, examples: [] };
    groups.set(key, g);
    return g;
  };
  for (const item of open) {
    const root = roots.get(item.key)!;
    const g = group(root);
    if (root === item.key) {
      g.item = item;
      continue;
    }
    g.waiting += 1;
    g.waitingByEntity[item.entity] = (g.waitingByEntity[item.entity] ?? 0) + 1;
    if (g.examples.length < examples) g.examples.push(item);
  }
  const firstId = (g: RootCause) => g.item?.id ?? g.examples[0]?.id ?? 0;
  return [...groups.values()].sort((a, b) => b.waiting - a.waiting || firstId(a) - firstId(b));
}

/** Every item one by one (id order), each with its root cause and how many wait on it. */
export function eachItem(items: readonly StatusItem[]): EachItem[] {
  const roots = rootKeys(items);
  const idByKey = new Map(items.filter((i) => i.state === "open").map((i) => [i.key, i.id]));
  const waitingOn = new Map<string, number>();
  for (const [key, root] of roots) if (key !== root) waitingOn.set(root, (waitingOn.get(root) ?? 0) + 1);
  return [...items]
    .sort((a, b) => a.id - b.id)
    .map((item) => {
      const root = roots.get(item.key);
      const each: EachItem = { ...item, waitingOnIt: waitingOn.get(item.key) ?? 0 };
      if (root !== undefined && root !== item.key) {
        const id = idByKey.get(root);
        each.rootCause = id === undefined ? { key: root } : { key: root, id };
      }
      return each;
    });
}

const CLIO_KINDS: Record<string, string> = {
  contact: "Clio contact",
  bill: "Clio bill",
  payment: "Clio payment",
  credit_memo: "Clio credit memo",
  journal_entry: "Clio trust",
};

/** A key in words (`contact:1942` → "Clio contact 1942"), for a root with no item of its own. */
export function keyLabel(key: string): string {
  const at = key.indexOf(":");
  const kind = key.slice(0, at);
  return CLIO_KINDS[kind] ? `${CLIO_KINDS[kind]} ${key.slice(at + 1)}` : key;
}

/**
 * The item's name with what identifies it beside its id: "Bill 71 · Pioneer Sterling · 2625.42
 * (Clio bill 2255)"; a client is its name and Clio id.
 */
export function itemLabel(item: StatusItem): string {
  const idLabel = item.clioId ? keyLabel(`${item.entity}:${item.clioId}`) : item.key;
  if (item.entity === "contact" || item.entity === "customer") {
    const proposed =
      item.qboName && item.qboId ? ` ↔ ${item.qboName} (QuickBooks customer ${item.qboId})` : "";
    return `${item.client ?? item.name ?? "(no name)"} (${idLabel})${proposed}`;
  }
  const name = item.name ?? item.key;
  const billNumber =
    item.billNumber && !name.includes(item.billNumber) ? `bill ${item.billNumber}` : undefined;
  const text = [name, item.client, billNumber, item.amount].filter(Boolean).join(" · ");
  // "Payment 7001" and "Trust transfer 2582-2583" carry their Clio id already.
  const bareId = item.clioId?.split(":").pop();
  return bareId && name.includes(bareId) ? text : `${text} (${idLabel})`;
}

const NOUNS: Record<string, [string, string]> = {
  contact: ["client", "clients"],
  customer: ["client", "clients"],
  bill: ["bill", "bills"],
  invoice: ["bill", "bills"],
  payment: ["payment", "payments"],
  credit_memo: ["credit", "credits"],
  credit_application: ["credit application", "credit applications"],
  journal_entry: ["trust movement", "trust movements"],
};

/** "9 bills, 3 payments, 2 trust movements". */
export function countsInWords(byEntity: Record<string, number>): string {
  return Object.entries(byEntity)
    .sort((a, b) => b[1] - a[1])
    .map(([entity, n]) => {
      const [one, many] = NOUNS[entity] ?? [entity, `${entity} items`];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(", ");
}
