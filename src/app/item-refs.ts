import { LexError } from "../core/errors.ts";
import type { Store, SyncIssue } from "../store/port.ts";

/**
 * Resolving the ids a user types: `resync <id>` and `match accept|reject <id>`. A Sync Status item
 * is `N` or `#N`; for a match, `N` may also be the Clio contact id (`contact:N` says so
 * explicitly). An id that names nothing is an error naming it, never a silent no-op.
 */

function itemNumber(text: string): number | undefined {
  const match = /^#?(\d+)$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** The open Sync Status item `ref` names. */
export async function openItemByRef(store: Store, ref: string): Promise<SyncIssue> {
  const id = itemNumber(ref);
  const item = id === undefined ? undefined : await store.getIssue(id);
  if (!item)
    throw new LexError("status_item_not_found", `there is no Sync Status item ${JSON.stringify(ref)}`);
  if (item.state !== "open")
    throw new LexError("status_item_not_found", `Sync Status item #${item.id} is resolved already`);
  return item;
}

/** The Clio contact whose proposed match `ref` names: an item awaiting match review, or the contact. */
export async function matchContactByRef(store: Store, ref: string): Promise<string> {
  const text = ref.trim();
  const proposed = new Set((await store.listMatches()).map((m) => m.clioId));
  const explicitContact = /^contact:(\d+)$/.exec(text)?.[1];
  const asContact = explicitContact ?? (/^\d+$/.test(text) ? text : undefined);
  const byContact = asContact !== undefined && proposed.has(asContact) ? asContact : undefined;
  const byItem = explicitContact === undefined ? await matchItemContact(store, text) : undefined;
  if (byContact && byItem && byContact !== byItem)
    throw new LexError(
      "status_item_ambiguous",
      `${text} is Sync Status item #${text} (for Clio contact ${byItem}) and also Clio contact ${text}, which has a match of its own`,
    );
  const contact = byItem ?? byContact;
  if (contact) return contact;
  throw new LexError(
    "status_item_not_found",
    `${JSON.stringify(ref)} names no proposed match: neither a Sync Status item awaiting match review nor a Clio contact with a proposed match`,
  );
}

async function matchItemContact(store: Store, text: string): Promise<string | undefined> {
  const id = itemNumber(text);
  const item = id === undefined ? undefined : await store.getIssue(id);
  if (!item) return undefined;
  if (item.code !== "sync_match_review" || !item.clioId) {
    if (text.startsWith("#"))
      throw new LexError(
        "status_item_not_found",
        `Sync Status item #${item.id} is a ${item.code} item, not a proposed match`,
      );
    return undefined;
  }
  return item.clioId;
}
