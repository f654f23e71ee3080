import { divRound, percentOf } from "../money.ts";
import type { AllocationRec, BankTransactionRec, BillRec, BillState, LineItemRec } from "../records.ts";
import type { ClioState } from "../state.ts";

/**
 * Derived money figures. The bill total formula is a fixture choice (the real one is UNCONFIRMED,
 * clio-api.md §7): total = sub_total − discount + tax_sum + secondary_tax_sum + interest, where
 * taxes apply to the taxable lines' totals before the discount.
 */
export interface BillTotals {
  services_sub_total: number;
  expenses_sub_total: number;
  sub_total: number;
  discount: number;
  taxable_sub_total: number;
  secondary_taxable_sub_total: number;
  services_taxable_sub_total: number;
  services_secondary_taxable_sub_total: number;
  tax_sum: number;
  secondary_tax_sum: number;
  services_tax: number;
  services_secondary_tax: number;
  interest: number;
  total: number;
  paid: number;
  credits_issued: number;
  balance: number;
  paid_at: string | null;
}

export function lineTotal(line: Pick<LineItemRec, "quantity_milli" | "price_cents" | "type">): number {
  if (line.type === "NoChargeLineItem") return 0;
  const raw = line.quantity_milli * line.price_cents;
  return Math.sign(raw) * Math.round(Math.abs(raw) / 1000);
}

export function billLines(state: ClioState, billId: number): LineItemRec[] {
  return state.index("line_items", "bill", (l) => l.bill_id).get(billId) ?? [];
}

export function billAllocations(state: ClioState, billId: number): AllocationRec[] {
  return state.index("allocations", "bill", (a) => a.bill_id).get(billId) ?? [];
}

export function billTotals(state: ClioState, bill: BillRec): BillTotals {
  const t: BillTotals = {
    services_sub_total: 0,
    expenses_sub_total: 0,
    sub_total: 0,
    discount: 0,
    taxable_sub_total: 0,
    secondary_taxable_sub_total: 0,
    services_taxable_sub_total: 0,
    services_secondary_taxable_sub_total: 0,
    tax_sum: 0,
    secondary_tax_sum: 0,
    services_tax: 0,
    services_secondary_tax: 0,
    interest: bill.interest.total_cents,
    total: 0,
    paid: 0,
    credits_issued: 0,
    balance: 0,
    paid_at: null,
  };
  if (bill.trust_amount_cents !== null) {
    t.sub_total = bill.trust_amount_cents;
  } else {
    for (const line of billLines(state, bill.id)) {
      const amount = lineTotal(line);
      const service = line.kind === "Service";
      if (service) t.services_sub_total += amount;
      else t.expenses_sub_total += amount;
      if (line.taxable) t.taxable_sub_total += amount;
      if (line.secondary_taxable) t.secondary_taxable_sub_total += amount;
      if (service && line.taxable) t.services_taxable_sub_total += amount;
      if (service && line.secondary_taxable) t.services_secondary_taxable_sub_total += amount;
    }
    t.sub_total = t.services_sub_total + t.expenses_sub_total;
  }
  const discountBase = bill.discount_services_only ? t.services_sub_total : t.sub_total;
  t.discount =
    bill.discount.type === "money"
      ? divRound(bill.discount.rate_milli, 10)
      : percentOf(discountBase, bill.discount.rate_milli);
  t.tax_sum = percentOf(t.taxable_sub_total, bill.tax_rate_milli);
  t.secondary_tax_sum = percentOf(t.secondary_taxable_sub_total, bill.secondary_tax_rate_milli);
  t.services_tax = percentOf(t.services_taxable_sub_total, bill.tax_rate_milli);
  t.services_secondary_tax = percentOf(t.services_secondary_taxable_sub_total, bill.secondary_tax_rate_milli);
  t.total = t.sub_total - t.discount + t.tax_sum + t.secondary_tax_sum + t.interest;
  let lastPaid: string | null = null;
  for (const a of billAllocations(state, bill.id)) {
    if (a.voided_at !== null) continue;
    if (a.parent_type === "Payment") {
      t.paid += a.amount_cents;
      if (lastPaid === null || a.date > lastPaid) lastPaid = a.date;
    } else t.credits_issued += a.amount_cents;
  }
  t.paid_at = lastPaid;
  t.balance = t.total - t.paid - t.credits_issued;
  return t;
}

/** The visible state: an approved bill with nothing left to pay reads as `paid`. */
export function billState(state: ClioState, bill: BillRec): BillState {
  if (bill.state !== "awaiting_payment" && bill.state !== "paid") return bill.state;
  const t = billTotals(state, bill);
  return t.balance <= 0 && t.total > 0 ? "paid" : "awaiting_payment";
}

export function availableTransitions(state: BillState): BillState[] {
  switch (state) {
    case "draft":
      return ["awaiting_approval", "awaiting_payment", "deleted"];
    case "awaiting_approval":
      return ["awaiting_payment", "deleted"];
    case "awaiting_payment":
      return ["void"];
    case "paid":
      return [];
    default:
      return [];
  }
}

/** Balance of a bank account: opening balance plus every transaction. */
export function accountBalance(state: ClioState, accountId: number): number {
  const account = state.get("bank_accounts", accountId);
  let sum = account?.opening_balance_cents ?? 0;
  for (const tx of accountTransactions(state, accountId)) sum += tx.amount_cents;
  return sum;
}

export function accountTransactions(state: ClioState, accountId: number): BankTransactionRec[] {
  return state.index("bank_transactions", "account", (t) => t.bank_account_id).get(accountId) ?? [];
}

/** Running balance after each transaction, in (date, id) order, cached per table version. */
const runningCache = new WeakMap<ClioState, { version: number; map: Map<number, number> }>();
export function runningBalance(state: ClioState, txId: number): number {
  const version = state.version("bank_transactions") * 1_000_003 + state.version("bank_accounts");
  let cached = runningCache.get(state);
  if (!cached || cached.version !== version) {
    const map = new Map<number, number>();
    for (const account of state.all("bank_accounts")) {
      let sum = account.opening_balance_cents;
      const txs = [...accountTransactions(state, account.id)].sort((a, b) =>
        a.date === b.date ? a.id - b.id : a.date < b.date ? -1 : 1,
      );
      for (const tx of txs) {
        sum += tx.amount_cents;
        map.set(tx.id, sum);
      }
    }
    cached = { version, map };
    runningCache.set(state, cached);
  }
  return cached.map.get(txId) ?? 0;
}

/** Per-bank-account ledger balance of a contact (client level) or a matter. */
export function ledgerBalances(
  state: ClioState,
  by: "client" | "matter",
  id: number,
): Array<{ account_id: number; balance: number }> {
  const idx =
    by === "client"
      ? state.index("bank_transactions", "client", (t) => t.client_id)
      : state.index("bank_transactions", "matter", (t) => t.matter_id);
  const sums = new Map<number, number>();
  for (const tx of idx.get(id) ?? [])
    sums.set(tx.bank_account_id, (sums.get(tx.bank_account_id) ?? 0) + tx.amount_cents);
  return [...sums.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([account_id, balance]) => ({ account_id, balance }));
}
