import type { MirrorRecord, WriteUnit } from "../store/port.ts";

export type MirrorEntry = NonNullable<WriteUnit["mirror"]>[number];

/**
 * Clio keeps no tombstones (clio-api.md §5.10): a deleted payment or credit memo and its
 * allocations simply stop being listed, and so may a deleted or voided bill (whether unfiltered
 * lists show them is unconfirmed, §5.3). When a mirrored record is no longer listed, lexbridge keeps
 * it as its own tombstone: the last data read, marked `deleted: true`, and dirty, so the planners
 * undo what was written for it (void the payment or invoice, remove the credit memo).
 */
export function isTombstone(data: Record<string, unknown> | undefined): boolean {
  return data?.deleted === true;
}

/** The etag of a tombstone: a later read of the same record (if Clio lists it again) differs. */
export const TOMBSTONE_ETAG = "deleted";

/**
 * The tombstones for the mirrored records Clio no longer lists. `listed` holds every id Clio
 * lists among the records compared, read after the mirror was, so an id missing from it was
 * deleted in between (a record created meanwhile is listed but not mirrored, and is left alone).
 * Records already tombstones are not written again.
 */
export function tombstonesFor(mirrored: readonly MirrorRecord[], listed: ReadonlySet<string>): MirrorEntry[] {
  return mirrored
    .filter((m) => !listed.has(m.id) && !isTombstone(m.data))
    .map((m) => ({
      kind: m.kind,
      id: m.id,
      parentId: m.parentId,
      billId: m.billId ?? null,
      etag: TOMBSTONE_ETAG,
      data: { ...m.data, deleted: true },
      forceDirty: true,
    }));
}
