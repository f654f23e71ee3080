/**
 * The fields of Clio's billing records the mappers read (clio-api.md §5.3, §5.4, §5.6), as the
 * API returns them: money as decimal numbers, dates as `YYYY-MM-DD`.
 */
export interface ClioBillView {
  id: number | string;
  number: string;
  state: string;
  kind?: string;
  issued_at: string;
  due_at?: string | null;
  sub_total?: number;
  tax_sum?: number;
  secondary_tax_sum?: number;
  total: number;
  balance?: number;
  interest?: { total?: number } | null;
  discount?: { rate?: number; type?: string; note?: string | null } | null;
  client?: { id: number | string; name?: string } | null;
  matters?: Array<{ id: number | string; display_number?: string }>;
  currency?: { code?: string } | null;
  subject?: string | null;
  /** lexbridge's own mark: Clio no longer lists the bill (src/engine/tombstones.ts). */
  deleted?: boolean;
}

export interface ClioLineItemView {
  id: number | string;
  bill?: { id: number | string } | null;
  kind?: string;
  type?: string;
  description?: string | null;
  date?: string | null;
  quantity?: number;
  price?: number;
  total: number;
}

export interface ClioAllocationView {
  id: number | string;
  date: string;
  amount: number;
  voided_at?: string | null;
  interest?: boolean;
  bill?: { id: number | string; number?: string } | null;
  parent?: { id: number | string; type: string } | null;
  contact?: { id: number | string } | null;
  source_bank_account?: { id: number | string; type?: string } | null;
  destination_bank_account?: { id: number | string; type?: string } | null;
  description?: string | null;
  /** lexbridge's own mark: Clio no longer lists the allocation (its payment or credit was deleted). */
  deleted?: boolean;
}

export interface ClioCreditMemoView {
  id: number | string;
  date: string;
  amount: number;
  description?: string | null;
  voided_at?: string | null;
  contact?: { id: number | string } | null;
  /** lexbridge's own mark: Clio no longer lists the credit memo. */
  deleted?: boolean;
}

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
