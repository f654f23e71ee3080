import { invalid, notFound } from "../http.ts";
import type { AllocationRec, BillRec, CreditMemoRec, PaymentRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { accountOf, addTransaction, trustBalance } from "./accounts.ts";
import { findBill } from "./bills.ts";
import { cents, date, type Input, id, text, today } from "./input.ts";
import { billState, billTotals } from "./ledger.ts";

/**
 * Payments and credit memos are parents; allocations link part of a parent to one bill
 * (clio-api.md §5.6). A payment from trust moves money out of the client's trust ledger into the
 * operating account: source_bank_account Trust, destination Operating (UNCONFIRMED naming).
 */
interface Share {
  bill: BillRec;
  amount: number;
}

function shares(state: ClioState, data: Input, allowTrustRequest = false): Share[] {
  const list = (data.allocations ??
    (data.bill_id ? [{ bill_id: data.bill_id, amount: data.amount }] : [])) as Input[];
  if (list.length === 0) throw invalid("At least one allocation (bill_id, amount) is required");
  const out = list.map((a) => {
    const bill = findBill(state, a.bill_id);
    const s = billState(state, bill);
    if (s !== "awaiting_payment")
      throw invalid(`Bill ${bill.id} is ${s}; only approved unpaid bills take payments`);
    if ((bill.kind === "trust_kind") !== allowTrustRequest)
      throw invalid(`Bill ${bill.id} has the wrong kind for this action`);
    const balance = billTotals(state, bill).balance;
    const amount = a.amount === undefined ? balance : cents(a.amount, "amount");
    if (amount > balance) throw invalid(`Amount exceeds the balance of bill ${bill.id}`);
    return { bill, amount };
  });
  const clients = new Set(out.map((s) => s.bill.client_id));
  if (clients.size > 1) throw invalid("All bills of one payment must belong to the same client");
  return out;
}

export function recordPayment(state: ClioState, data: Input): PaymentRec {
  const parts = shares(state, data);
  const fromTrust = data.source === "trust";
  const contactId = parts[0]!.bill.client_id;
  const when = date(data.date, "date", today(state.now()));
  const total = parts.reduce((s, p) => s + p.amount, 0);
  const operating = accountOf(
    state,
    "Operating",
    fromTrust ? data.operating_account_id : data.bank_account_id,
  );
  const trust = fromTrust ? accountOf(state, "Trust", data.bank_account_id ?? data.trust_account_id) : null;
  const fund = data.source_fund_type === "Client" ? "Client" : "Matter";
  if (trust) {
    for (const p of parts) {
      const matterId = p.bill.matter_ids[0];
      const available =
        fund === "Matter" && matterId !== undefined
          ? trustBalance(state, trust.id, "matter", matterId)
          : trustBalance(state, trust.id, "client", contactId);
      if (available < p.amount) throw invalid("Insufficient trust funds for this payment");
    }
  }
  const payment = state.insert("payments", {
    date: when,
    amount_cents: total,
    description: text(data.description),
    reference: text(data.reference),
    source_fund_type: fund,
    contact_id: contactId,
    source_bank_account_id: trust?.id ?? null,
    destination_bank_account_id: operating.id,
    voided_at: null,
  });
  for (const p of parts) {
    const matterId = p.bill.matter_ids[0] ?? null;
    const allocation = state.insert("allocations", {
      date: when,
      amount_cents: p.amount,
      interest: false,
      voided_at: null,
      description: payment.description,
      parent_type: "Payment",
      parent_id: payment.id,
      bill_id: p.bill.id,
      matter_id: matterId,
      contact_id: contactId,
      source_bank_account_id: trust?.id ?? null,
      destination_bank_account_id: operating.id,
    });
    const link = {
      client_id: contactId,
      matter_id: matterId,
      bill_id: p.bill.id,
      allocation_id: allocation.id,
      payment_id: payment.id,
    };
    if (trust) {
      addTransaction(state, trust, {
        ...link,
        date: when,
        amount_cents: -p.amount,
        transaction_type: "Withdrawal",
        source: "BillPayment",
        description: `Payment of bill ${p.bill.number}`,
      });
    }
    addTransaction(state, operating, {
      ...link,
      date: when,
      amount_cents: p.amount,
      transaction_type: "Deposit",
      source: "BillPayment",
      confirmation: payment.reference,
      description: `Payment of bill ${p.bill.number}`,
    });
    state.touch("bills", p.bill.id);
  }
  return payment;
}

export function createCreditMemo(state: ClioState, data: Input): CreditMemoRec {
  const parts = shares(state, data);
  const when = date(data.date, "date", today(state.now()));
  const memo = state.insert("credit_memos", {
    date: when,
    amount_cents: parts.reduce((s, p) => s + p.amount, 0),
    description: text(data.description),
    discount: Boolean(data.discount),
    contact_id: parts[0]!.bill.client_id,
    voided_at: null,
  });
  for (const p of parts) {
    state.insert("allocations", {
      date: when,
      amount_cents: p.amount,
      interest: false,
      voided_at: null,
      description: memo.description,
      parent_type: "CreditMemo",
      parent_id: memo.id,
      bill_id: p.bill.id,
      matter_id: p.bill.matter_ids[0] ?? null,
      contact_id: memo.contact_id,
      source_bank_account_id: null,
      destination_bank_account_id: null,
    });
    state.touch("bills", p.bill.id);
  }
  return memo;
}

export function parentAllocations(
  state: ClioState,
  type: "Payment" | "CreditMemo",
  parentId: number,
): AllocationRec[] {
  return (
    state
      .index("allocations", "parent", (a) => `${a.parent_type}:${a.parent_id}`)
      .get(`${type}:${parentId}`) ?? []
  );
}

function parentTransactions(state: ClioState, paymentId: number) {
  return state.index("bank_transactions", "payment", (t) => t.payment_id).get(paymentId) ?? [];
}

/** Soft void (voided_at) of a payment or credit memo and its allocations; bank entries are removed. */
export function voidParent(state: ClioState, type: "Payment" | "CreditMemo", parentId: number): void {
  const table = type === "Payment" ? "payments" : "credit_memos";
  const parent = state.get(table, parentId);
  if (!parent) throw notFound(type, parentId);
  if (parent.voided_at !== null) throw invalid(`${type} ${parentId} is already void`);
  const now = state.now();
  state.update(table, parentId, { voided_at: now });
  for (const a of [...parentAllocations(state, type, parentId)]) {
    state.update("allocations", a.id, { voided_at: now });
    if (a.bill_id !== null && state.get("bills", a.bill_id)) state.touch("bills", a.bill_id);
  }
  if (type === "Payment")
    for (const t of [...parentTransactions(state, parentId)]) state.remove("bank_transactions", t.id);
}

/** Hard delete of a payment or credit memo with its allocations and bank entries. */
export function deleteParent(state: ClioState, type: "Payment" | "CreditMemo", parentId: number): void {
  const table = type === "Payment" ? "payments" : "credit_memos";
  if (!state.get(table, parentId)) throw notFound(type, parentId);
  const bills = new Set<number>();
  for (const a of [...parentAllocations(state, type, parentId)]) {
    state.remove("allocations", a.id);
    if (a.bill_id !== null) bills.add(a.bill_id);
  }
  if (type === "Payment")
    for (const t of [...parentTransactions(state, parentId)]) state.remove("bank_transactions", t.id);
  state.remove(table, parentId);
  for (const b of bills) if (state.get("bills", b)) state.touch("bills", b);
}

/**
 * Removes one allocation of a payment or credit memo, as taking one bill off a payment in Clio's web
 * app would (that the app allows it is UNCONFIRMED; allocations carry a `destroyable` flag): its
 * bank entries go with it, the parent's amount shrinks, the bill is touched. Like a deleted parent,
 * it leaves no tombstone. The last allocation cannot go alone: delete the parent instead.
 */
export function deleteAllocation(state: ClioState, allocationId: number): void {
  const allocation = state.get("allocations", allocationId);
  if (!allocation) throw notFound("Allocation", allocationId);
  const type = allocation.parent_type as "Payment" | "CreditMemo";
  const table = type === "Payment" ? "payments" : "credit_memos";
  const siblings = parentAllocations(state, type, allocation.parent_id);
  if (siblings.length < 2)
    throw invalid(`Allocation ${allocationId} is the last of its ${type}; delete the ${type}`);
  for (const t of state.index("bank_transactions", "allocation", (x) => x.allocation_id).get(allocationId) ??
    [])
    state.remove("bank_transactions", t.id);
  state.remove("allocations", allocationId);
  const rest = parentAllocations(state, type, allocation.parent_id);
  state.update(table, allocation.parent_id, {
    amount_cents: rest.reduce((sum, a) => sum + a.amount_cents, 0),
  });
  if (allocation.bill_id !== null && state.get("bills", allocation.bill_id))
    state.touch("bills", allocation.bill_id);
}

/** Edits date, description, reference and per-bill amounts (`allocations:[{bill_id, amount}]`). */
export function editParent(
  state: ClioState,
  type: "Payment" | "CreditMemo",
  parentId: number,
  data: Input,
): void {
  const table = type === "Payment" ? "payments" : "credit_memos";
  const parent = state.get(table, parentId);
  if (!parent) throw notFound(type, parentId);
  if (parent.voided_at !== null) throw invalid(`${type} ${parentId} is void`);
  const when = data.date === undefined ? parent.date : date(data.date, "date");
  const allocations = parentAllocations(state, type, parentId);
  for (const change of (data.allocations ?? []) as Input[]) {
    const billId = id(change.bill_id, "bill_id");
    const a = allocations.find((x) => x.bill_id === billId);
    if (!a) throw invalid(`${type} ${parentId} has no allocation on bill ${billId}`);
    const amount = cents(change.amount, "amount");
    const bill = state.get("bills", billId)!;
    if (amount - a.amount_cents > billTotals(state, bill).balance)
      throw invalid(`Amount exceeds the balance of bill ${billId}`);
    state.update("allocations", a.id, { amount_cents: amount });
    for (const t of state.index("bank_transactions", "allocation", (x) => x.allocation_id).get(a.id) ?? []) {
      state.update("bank_transactions", t.id, { amount_cents: Math.sign(t.amount_cents) * amount });
    }
  }
  const fresh = parentAllocations(state, type, parentId);
  for (const a of fresh) {
    if (a.date !== when) state.update("allocations", a.id, { date: when });
    for (const t of state.index("bank_transactions", "allocation", (x) => x.allocation_id).get(a.id) ?? []) {
      if (t.date !== when) state.update("bank_transactions", t.id, { date: when });
    }
    if (a.bill_id !== null) state.touch("bills", a.bill_id);
  }
  const patch: Record<string, unknown> = {
    date: when,
    amount_cents: fresh.reduce((s, a) => s + a.amount_cents, 0),
  };
  if (data.description !== undefined) patch.description = text(data.description);
  if (type === "Payment" && data.reference !== undefined) patch.reference = text(data.reference);
  state.update(table, parentId, patch as Partial<PaymentRec & CreditMemoRec>);
}
