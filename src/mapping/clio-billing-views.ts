/**
 * Clio's billing records as the mappers read them (clio-api.md §5.3, §5.4, §5.6): the types the
 * Clio schemas parse (money as decimal numbers, dates as `YYYY-MM-DD`), so what the mirror holds
 * is passed on as it is.
 */
import type { ClioAllocation, ClioBill, ClioCreditMemo, ClioLineItem } from "../clio/schemas/index.ts";

/** lexbridge's own mark: Clio no longer lists the record (src/engine/tombstones.ts). */
interface TombstoneMark {
  deleted?: boolean;
}

export type ClioBillView = ClioBill & TombstoneMark;
export type ClioLineItemView = ClioLineItem;
/** A deleted allocation is marked when its payment or credit memo was deleted. */
export type ClioAllocationView = ClioAllocation & TombstoneMark;
export type ClioCreditMemoView = ClioCreditMemo & TombstoneMark;

/** Revenue bills become invoices once approved; trust requests never do (PRODUCT.md §1.2). */
export const APPROVED_BILL_STATES = new Set(["awaiting_payment", "paid"]);
export const VOIDED_BILL_STATES = new Set(["void", "deleted"]);

export function isRevenueBill(bill: ClioBillView): boolean {
  return bill.kind !== "trust_kind";
}

/** An allocation voided in Clio or deleted there (Clio keeps no tombstones): it pays nothing. */
export function isAllocationGone(a: ClioAllocationView): boolean {
  return Boolean(a.voided_at) || a.deleted === true;
}

/** A credit memo voided or deleted in Clio. */
export function isCreditMemoGone(memo: ClioCreditMemoView): boolean {
  return Boolean(memo.voided_at) || memo.deleted === true;
}
