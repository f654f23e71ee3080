import { QBO_TARGET_ENTITIES, type SyncTargets, TARGET_LIMIT } from "../engine/targeted-reads.ts";

/** A record a webhook delivery named (webhook-deps.ts), with its provider. */
export interface NamedChange {
  provider: string;
  kind: string;
  id: string;
  event: string;
}

/** What the deliveries of one debounce window start: a targeted sync, or the pass, and why. */
export type ChangeSync = { targets: SyncTargets; records: number } | { fallback: string };

/** Clio's webhook models serve subscribes to (clio-webhook-subscriptions.ts). */
const CLIO_KINDS = { contact: "contacts", bill: "bills" } as const;

/**
 * QuickBooks operations a read by id shows whole (CloudEvents verbs and legacy names alike); a
 * deletion or merge leaves nothing to read, and the change feed of the pass reports it.
 */
const QBO_READABLE = new Set(["create", "created", "update", "updated", "void", "voided", "emailed"]);

/**
 * Decides, purely, what the named records start. Clio contacts and bills (created, updated or
 * deleted: a deleted bill becomes a tombstone, targeted-reads.ts) and QuickBooks customers,
 * invoices, payments, credit memos and journal entries (created, updated, voided) are targeted;
 * anything else in the batch — another kind, a deletion or merge in QuickBooks — or more than
 * TARGET_LIMIT records runs the ordinary incremental pass instead, which covers every record named.
 */
export function changeSyncOf(changes: readonly NamedChange[]): ChangeSync {
  const targets: SyncTargets = { contacts: [], bills: [], qbo: [] };
  const seen = new Set<string>();
  for (const change of changes) {
    const key = `${change.provider}:${change.kind.toLowerCase()}:${change.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (change.provider === "clio") {
      const list = CLIO_KINDS[change.kind as keyof typeof CLIO_KINDS];
      if (!list) return { fallback: `Clio ${change.kind} records are not targeted` };
      targets[list].push(change.id);
      continue;
    }
    const entity = QBO_TARGET_ENTITIES.find((e) => e.toLowerCase() === change.kind.toLowerCase());
    if (!entity) return { fallback: `QuickBooks ${change.kind} records are not targeted` };
    if (!QBO_READABLE.has(change.event.toLowerCase()))
      return {
        fallback: `a QuickBooks ${entity} ${change.event.toLowerCase()} is read from the change feed`,
      };
    targets.qbo.push({ entity, id: change.id });
  }
  if (seen.size > TARGET_LIMIT) return { fallback: `${seen.size} records named, more than ${TARGET_LIMIT}` };
  return { targets, records: seen.size };
}
