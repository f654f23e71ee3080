import { holdsQboRecord } from "./link-state.ts";
import type { EngineDeps } from "./ports.ts";
import { isTombstone, type MirrorEntry, tombstonesFor } from "./tombstones.ts";

const PAGE = 500;

/**
 * A payment or credit memo deleted in Clio leaves no tombstone (clio-api.md §5.10): its allocations
 * just stop being listed. What it changes is the bills it paid — their balance, so their etag and
 * `updated_at` (the emulator touches them; that real Clio does is likely but UNCONFIRMED, so the
 * periodic compare in id-set-compare.ts backs this up). So, for each changed bill (dirty after
 * this pass's reads) that has an invoice and live mirrored allocations, the allocations Clio lists
 * for it now (`GET /allocations?bill_id=…&fields=id`) are compared with the mirrored ones; those
 * no longer listed become tombstones, and the payment phase voids or rewrites their payment.
 *
 * Costs one request per such bill: none on an idle pass, none for bills seen for the first time
 * (no invoice yet), so neither the idle pass nor the initial sync pays for it. Must run after
 * every stream was read, so an allocation in the mirror was listed by Clio before this compare.
 */
export async function findDeletedAllocations(deps: EngineDeps): Promise<{ bills: number; deleted: number }> {
  let bills = 0;
  let deleted = 0;
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bill", { dirtyOnly: true, afterId: after, limit: PAGE });
    for (const bill of page) {
      if (!holdsQboRecord(await deps.store.getLink("invoice", bill.id))) continue;
      const mirrored = (await deps.store.listMirrorByBill("allocation", bill.id)).filter(
        (m) => !isTombstone(m.data),
      );
      if (mirrored.length === 0) continue;
      bills++;
      const listed = new Set(await deps.clio.allocationIdsOfBill(bill.id));
      const tombstones: MirrorEntry[] = tombstonesFor(mirrored, listed);
      if (tombstones.length === 0) continue;
      deleted += tombstones.length;
      await deps.store.commit({ mirror: tombstones }, deps.clock.now());
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return { bills, deleted };
}
