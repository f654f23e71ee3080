import {
  APPROVED_BILL_STATES,
  type ClioBillView,
  isRevenueBill,
  VOIDED_BILL_STATES,
} from "../mapping/clio-billing-views.ts";

/**
 * PRODUCT.md §1.1–1.2: an approved revenue bill issued on or after the start date becomes an
 * invoice, and makes its client a contact that syncs. Drafts, bills awaiting approval and trust
 * requests never do.
 */
export function isInvoiceable(bill: ClioBillView, startDate: string): boolean {
  return (
    bill.deleted !== true &&
    bill.state !== undefined &&
    APPROVED_BILL_STATES.has(bill.state) &&
    isRevenueBill(bill) &&
    typeof bill.issued_at === "string" &&
    bill.issued_at >= startDate
  );
}

/**
 * A bill whose invoice, if one was written, must be voided: voided or deleted in Clio, or no longer
 * listed by Clio at all (a tombstone, tombstones.ts; PRODUCT.md §1.2).
 */
export function isVoided(bill: ClioBillView): boolean {
  return bill.deleted === true || (bill.state !== undefined && VOIDED_BILL_STATES.has(bill.state));
}

export function clientIdOf(bill: ClioBillView): string | undefined {
  return bill.client?.id === undefined ? undefined : String(bill.client.id);
}
