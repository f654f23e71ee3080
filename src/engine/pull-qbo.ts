import type { EntityKind, Link } from "../store/port.ts";
import { CDC_LOOKBACK_MS, type CdcRead, readCdc } from "./cdc-read.ts";
import { clientIdOf } from "./eligibility.ts";
import { compareLinked } from "./full-compare.ts";
import { noteReferenceChanges, REFERENCE_ENTITIES } from "./inactive-ref-sync.ts";
import { invoiceFingerprint } from "./invoice-fingerprint.ts";
import { breakLink, markCustomerActive, markCustomerInactive } from "./issues.ts";
import { holdsQboRecord, invoiceBaseline } from "./link-state.ts";
import type { EngineDeps } from "./ports.ts";
import { trustRecords } from "./trust-work.ts";

const CDC_ENTITIES = ["Customer", "Invoice", "Payment", "CreditMemo", "JournalEntry"] as const;
const LINK_ENTITY: Record<(typeof CDC_ENTITIES)[number], EntityKind[]> = {
  Customer: ["customer"],
  Invoice: ["invoice"],
  Payment: ["payment", "credit_application"],
  CreditMemo: ["credit_memo"],
  JournalEntry: ["journal_entry"],
};
const CURSOR = "qbo:cdc";
/** A window this close to CDC's 30 days is compared in full rather than risk QBO refusing it. */
const LOOKBACK_MARGIN_MS = 3600_000;

/**
 * Notices what was changed in QBO since the last pass (CDC, reference §6): a linked customer
 * edited in QBO is merged (its contact is planned again); a linked invoice edited in QBO is
 * overwritten with Clio's version (its bill is planned again); a linked record deleted or made
 * inactive breaks its link and raises an issue. Our own writes come back too and are recognised
 * by their SyncToken. A trust journal entry edited in QBO is re-written from Clio, like an invoice.
 * What the feed cannot tell completely — an answer that may have been cut short, or more than 30
 * days since the last pass — is read by comparing the linked records in full (full-compare.ts)
 * and handled the same way.
 */
export async function pullQboChanges(deps: EngineDeps, passStartedAt: number): Promise<void> {
  const cursor = await deps.store.getCursor(CURSOR);
  if (cursor === undefined) {
    // First pass: nothing was linked before it, so there is nothing to notice.
    await deps.store.commit({ cursors: { [CURSOR]: new Date(passStartedAt).toISOString() } }, passStartedAt);
    return;
  }
  const since = new Date(Date.parse(cursor) - deps.settings.overlapMs);
  // Items and accounts lexbridge relies on are read in the same call: one made inactive in QBO
  // holds what uses it (inactive-ref-sync.ts).
  const entities = [...CDC_ENTITIES, ...REFERENCE_ENTITIES];
  const read: CdcRead =
    passStartedAt - since.getTime() > CDC_LOOKBACK_MS - LOOKBACK_MARGIN_MS
      ? { time: undefined, complete: new Map(), incomplete: entities }
      : await readCdc(deps.qbo, entities, since);
  if (read.incomplete.length > 0) {
    deps.logger.warn(
      { entities: read.incomplete, since: since.toISOString() },
      "QuickBooks changes cannot all be read from the change feed (over 30 days, or a full answer): comparing the linked records in full",
    );
  }
  // QBO's own bookkeeping on linked records (a payment applied to an invoice) only moves their
  // SyncTokens: those are stored together with the cursor, one commit for them all rather than
  // one each (on PostgreSQL each commit is a round trip and a WAL flush). Until that commit the
  // cursor has not moved, so a pass stopped before it reads the same changes again.
  const tokens: Link[] = [];
  for (const entity of CDC_ENTITIES) {
    const changes = read.complete.get(entity) ?? (await compareLinked(deps, entity, LINK_ENTITY[entity]));
    for (const record of changes.changed) await onChanged(deps, entity, record, tokens);
    for (const id of changes.deleted) await onDeleted(deps, entity, id);
  }
  await noteReferenceChanges(deps, read);
  // After a full compare the state read is at least as new as the pass's start.
  const next = read.time ?? new Date(passStartedAt).toISOString();
  await deps.store.commit({ links: tokens, cursors: { [CURSOR]: next } }, deps.clock.now());
}

/**
 * A record a QuickBooks webhook named, read by id: handled as the change feed handles it (a
 * targeted sync, targeted-reads.ts). Returns the Clio client it concerns when it is linked.
 */
export async function noteQboRecordChange(
  deps: EngineDeps,
  entity: (typeof CDC_ENTITIES)[number],
  record: Record<string, unknown>,
): Promise<string | undefined> {
  const tokens: Link[] = [];
  await onChanged(deps, entity, record, tokens);
  if (tokens.length > 0) await deps.store.commit({ links: tokens }, deps.clock.now());
  const link = await findLink(deps, entity, String(record.Id));
  if (!link) return undefined;
  if (entity === "Customer") return link.clioId;
  const bill = entity === "Invoice" ? await deps.store.getMirror("bill", link.clioId) : undefined;
  return bill ? clientIdOf(bill.data) : undefined;
}

async function findLink(deps: EngineDeps, entity: (typeof CDC_ENTITIES)[number], qboId: string) {
  for (const kind of LINK_ENTITY[entity]) {
    const link = await deps.store.getLinkByQboId(kind, qboId);
    if (link) return link;
  }
  return undefined;
}

async function onChanged(
  deps: EngineDeps,
  entity: (typeof CDC_ENTITIES)[number],
  record: Record<string, unknown>,
  tokens: Link[],
) {
  const link = await findLink(deps, entity, String(record.Id));
  if (entity === "Customer" && link?.state === "inactive" && record.Active !== false) {
    await markCustomerActive(deps, link, String(record.SyncToken));
    return;
  }
  if (!holdsQboRecord(link)) return;
  if (String(record.SyncToken) === link.syncToken) return; // our own write
  if (entity === "Customer" && record.Active === false) {
    await markCustomerInactive(
      deps,
      link,
      String(record.DisplayName ?? link.clioId),
      String(record.SyncToken),
    );
    return;
  }
  if (entity === "Customer") {
    // Merge on this pass: the contact is planned again against QBO's current values.
    await deps.store.commit({ mirrorDirty: [{ kind: "contact", id: link.clioId }] }, deps.clock.now());
  } else if (entity === "Invoice" && invoiceBaseline(link) === invoiceFingerprint(record)) {
    // QBO's own bookkeeping (a payment or credit applied): nothing of ours changed.
    tokens.push({ ...link, syncToken: String(record.SyncToken), updatedAt: deps.clock.now() });
  } else if (entity === "Invoice") {
    // Clio is the system of record for invoices: rewrite it from the bill.
    await deps.store.commit(
      {
        links: [
          {
            ...link,
            syncToken: String(record.SyncToken),
            qboEditedAt: deps.clock.now(),
            updatedAt: deps.clock.now(),
          },
        ],
        mirrorDirty: [{ kind: "bill", id: link.clioId }],
      },
      deps.clock.now(),
    );
  } else if (entity === "JournalEntry") {
    // Trust follows Clio (PRODUCT.md §1.5): the entry is re-written from its movement.
    const sources = (await trustRecords(deps, link.clioId)).map((m) => ({ kind: m.kind, id: m.id }));
    await deps.store.commit(
      {
        links: [
          {
            ...link,
            syncToken: String(record.SyncToken),
            qboEditedAt: deps.clock.now(),
            updatedAt: deps.clock.now(),
          },
        ],
        mirrorDirty: sources,
      },
      deps.clock.now(),
    );
  } else {
    // Payments and credits edited in QBO are not sent back to Clio (PRODUCT.md §1.3); keep the token current.
    tokens.push({ ...link, syncToken: String(record.SyncToken), updatedAt: deps.clock.now() });
  }
}

async function onDeleted(deps: EngineDeps, entity: (typeof CDC_ENTITIES)[number], qboId: string) {
  const link = await findLink(deps, entity, qboId);
  if (!holdsQboRecord(link)) return;
  await breakLink(deps, link, `Clio ${link.clioId}`);
}
