import type { ClioSyncRecords } from "../clio/schemas/index.ts";
import type { MirrorKind, MirrorRecord } from "../store/port.ts";
import { holdsQboRecord } from "./link-state.ts";
import type { ClioListKind, ClioPage, EngineDeps } from "./ports.ts";
import { changedRecords, toMirror } from "./pull-clio.ts";
import { noteQboRecordChange } from "./pull-qbo.ts";
import { isTombstone, type MirrorEntry, tombstonesFor } from "./tombstones.ts";
import { clientOfRecord, clientsOfLineItems } from "./touched-clients.ts";

/**
 * The QuickBooks entities a targeted sync reads by id. A journal entry is only recognised as our
 * own write coming back: one edited by someone else is rewritten from Clio by the pass (trust).
 */
export const QBO_TARGET_ENTITIES = ["Customer", "Invoice", "Payment", "CreditMemo", "JournalEntry"] as const;
export type QboTargetEntity = (typeof QBO_TARGET_ENTITIES)[number];

/**
 * More records than this (named, plus the bills a named bill's payments also pay) and a targeted
 * sync gives way to the ordinary pass: its reads by id would cost more than the pass's streams.
 */
export const TARGET_LIMIT = 50;

/** The records webhook deliveries named: what a targeted sync reads (sync-pass.ts, `targets`). */
export interface SyncTargets {
  /** Clio contacts, by id. */
  contacts: string[];
  /** Clio bills, by id: each read with its line items and allocations (Clio has no payment webhooks). */
  bills: string[];
  /** QuickBooks records, by entity and id. */
  qbo: Array<{ entity: QboTargetEntity; id: string }>;
}

export interface TargetedRead {
  /** Records read, per kind. */
  pulled: Record<string, number>;
  /** The clients of what changed: reconciled after the next ordinary pass. */
  clients: Set<string>;
  /** Set when the targets turned out not to be targetable: the caller runs the ordinary pass. */
  fallback?: string;
}

/**
 * Reads just the named records into the mirror, the way the pass's streams would have: a record
 * whose etag changed becomes dirty, so the planners that follow plan it (and what waits on it)
 * and nothing else Clio changed meanwhile. No cursor moves: the next pass reads since its own
 * cursor, and a record read here again hashes equal and writes nothing.
 *
 * A bill comes with its line items and its allocations (`bill_id`), and each payment or credit
 * memo among them with all its allocations (`parent_id`), so a payment spanning several bills is
 * written whole; a bill such a payment also pays that has no invoice yet is read too. Deletions
 * follow the pass's tombstone logic (tombstones.ts): a named bill Clio no longer lists, and an
 * allocation of a read bill or payment Clio no longer lists, become tombstones the planners undo.
 * QuickBooks records are read by id and handled as the change feed handles them (pull-qbo.ts); one
 * that cannot be read (deleted in QuickBooks) sends the caller to the pass, whose feed names it.
 */
export async function readTargets(deps: EngineDeps, targets: SyncTargets): Promise<TargetedRead> {
  const read: TargetedRead = { pulled: {}, clients: new Set() };
  // Before the first pass has read every bill, first linking must decide over all clients at once.
  if ((await deps.store.getCursor("clio:bill")) === undefined) {
    read.fallback = "the initial sync has not finished";
    return read;
  }
  for (const { entity, id } of targets.qbo) {
    const record = await deps.qbo.read(entity, id);
    if (!record.ok) {
      read.fallback = `QuickBooks ${entity} ${id} could not be read (${record.error.message})`;
      return read;
    }
    if (entity === "JournalEntry") {
      const link = await deps.store.getLinkByQboId("journal_entry", id);
      if (holdsQboRecord(link) && String(record.value.SyncToken) !== link.syncToken) {
        read.fallback = `QuickBooks JournalEntry ${id} was edited: the pass rewrites trust from Clio`;
        return read;
      }
      count(read, `qbo:${entity}`, 1);
      continue;
    }
    const client = await noteQboRecordChange(deps, entity, record.value as Record<string, unknown>);
    if (client) read.clients.add(client);
    count(read, `qbo:${entity}`, 1);
  }
  const billsFallback = await readBills(deps, targets.bills, read);
  if (billsFallback) {
    read.fallback = billsFallback;
    return read;
  }
  await readContacts(deps, targets.contacts, read);
  return read;
}

/** Named contacts: kept when linked or mirrored, like the pass's contact stream. */
async function readContacts(deps: EngineDeps, ids: string[], read: TargetedRead): Promise<void> {
  if (ids.length === 0) return;
  const listed = await deps.clio.contactsByIds([...new Set(ids)]);
  const kept: ClioSyncRecords["contact"][] = [];
  for (const contact of listed) {
    const id = String(contact.id);
    if ((await deps.store.getLink("customer", id)) || (await deps.store.getMirror("contact", id)))
      kept.push(contact);
  }
  // A contact Clio no longer lists leaves its customer as it is, as in the pass (nothing to undo).
  await mirrorRecords(deps, "contact", kept, read);
}

type ParentType = "Payment" | "CreditMemo";

async function readBills(deps: EngineDeps, named: string[], read: TargetedRead): Promise<string | undefined> {
  const seen = new Set<string>();
  const parentsSeen = new Set<string>();
  const linesChanged = new Set<string>();
  for (let wanted = [...new Set(named)]; wanted.length > 0; ) {
    if (seen.size + wanted.length > TARGET_LIMIT)
      return `the named bills and the bills their payments pay are more than ${TARGET_LIMIT}`;
    for (const id of wanted) seen.add(id);
    const listed = await deps.clio.byIds("bill", wanted);
    await mirrorRecords(deps, "bill", listed, read);
    await tombstonesOfUnlisted(deps, "bill", await mirroredOf(deps, "bill", wanted), listed, read);
    const parents = new Map<string, { type: ParentType; id: string }>();
    for (const billId of wanted) {
      for await (const page of deps.clio.listOfBill("line_item", billId)) {
        const changed = await mirrorRecords(deps, "line_item", page.records, read);
        if (changed > 0) linesChanged.add(billId);
      }
      const allocations = await collect(deps.clio.listOfBill("allocation", billId));
      await mirrorRecords(deps, "allocation", allocations, read);
      const known = await deps.store.listMirrorByBill("allocation", billId);
      await tombstonesOfUnlisted(deps, "allocation", known, allocations, read);
      for (const a of allocations) {
        const type = a.parent?.type;
        if ((type === "Payment" || type === "CreditMemo") && a.parent?.id !== undefined) {
          const key = `${type}:${a.parent.id}`;
          if (!parentsSeen.has(key)) parents.set(key, { type, id: String(a.parent.id) });
        }
      }
    }
    const next = new Set<string>();
    const memos: string[] = [];
    for (const [key, parent] of parents) {
      parentsSeen.add(key);
      const all = (await collect(deps.clio.allocationsOfParent(parent.id))).filter(
        (a) => a.parent?.type === parent.type,
      );
      await mirrorRecords(deps, "allocation", all, read);
      const known = await deps.store.listMirrorByParent("allocation", key);
      await tombstonesOfUnlisted(deps, "allocation", known, all, read);
      if (parent.type === "CreditMemo") memos.push(parent.id);
      for (const a of all) {
        const bill = a.bill?.id === undefined || a.bill?.id === null ? undefined : String(a.bill.id);
        if (bill && !seen.has(bill) && !holdsQboRecord(await deps.store.getLink("invoice", bill)))
          next.add(bill);
      }
    }
    if (memos.length > 0)
      await mirrorRecords(deps, "credit_memo", await deps.clio.byIds("credit_memo", memos), read);
    wanted = [...next];
  }
  for (const client of await clientsOfLineItems(deps, linesChanged)) read.clients.add(client);
  return undefined;
}

/** Writes records read from Clio to the mirror; returns how many were new or changed. */
async function mirrorRecords<K extends ClioListKind>(
  deps: EngineDeps,
  kind: K,
  records: ClioSyncRecords[K][],
  read: TargetedRead,
): Promise<number> {
  count(read, kind, records.length);
  if (records.length === 0) return 0;
  // One kind at a time: the per-kind mirror type widens to the union the commit takes.
  const mirror = records.map((r) => toMirror(kind, r)) as unknown as ReturnType<typeof toMirror>[];
  const changed = await changedRecords(deps, mirror, records as Record<string, unknown>[]);
  for (const r of changed) {
    const client = clientOfRecord(kind, r);
    if (client) read.clients.add(client);
  }
  await deps.store.commit({ mirror }, deps.clock.now());
  return changed.length;
}

/** The mirrored records among `known` that Clio did not list become tombstones (tombstones.ts). */
async function tombstonesOfUnlisted(
  deps: EngineDeps,
  kind: MirrorKind,
  known: readonly MirrorRecord[],
  listed: ReadonlyArray<{ id: number }>,
  read: TargetedRead,
): Promise<void> {
  const live = known.filter((m) => !isTombstone(m.data));
  const tombstones: MirrorEntry[] = tombstonesFor(live, new Set(listed.map((r) => String(r.id))));
  if (tombstones.length === 0) return;
  for (const t of tombstones) {
    const client = clientOfRecord(kind, t.data);
    if (client) read.clients.add(client);
  }
  count(read, `deleted ${kind}`, tombstones.length);
  await deps.store.commit({ mirror: tombstones }, deps.clock.now());
}

async function mirroredOf<K extends MirrorKind>(deps: EngineDeps, kind: K, ids: string[]) {
  const out: MirrorRecord<K>[] = [];
  for (const id of ids) {
    const m = await deps.store.getMirror(kind, id);
    if (m) out.push(m);
  }
  return out;
}

async function collect<K extends ClioListKind>(pages: AsyncIterable<ClioPage<K>>) {
  const out: ClioSyncRecords[K][] = [];
  for await (const page of pages) out.push(...page.records);
  return out;
}

function count(read: TargetedRead, kind: string, n: number): void {
  read.pulled[kind] = (read.pulled[kind] ?? 0) + n;
}

/** How many records the targets name. */
export function targetCount(targets: SyncTargets): number {
  return targets.contacts.length + targets.bills.length + targets.qbo.length;
}
