import { invalid, notFound } from "../http.ts";
import type { BankTransactionRec, BankTransferRec, BillRec, PaymentRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { accountOf, addTransaction, resolveMatterClient, trustBalance } from "./accounts.ts";
import { cents, date, type Input, id, text, today } from "./input.ts";
import { billState, billTotals } from "./ledger.ts";

/**
 * Trust movements (clio-api.md §5.7–§5.8): manual additions and subtractions on a matter's (or
 * client's) trust ledger, matter-to-matter transfers, and trust requests — bill-like requests whose
 * payment goes straight into trust.
 */
export function trustDeposit(state: ClioState, data: Input): BankTransactionRec {
  const account = accountOf(state, "Trust", data.bank_account_id);
  const { matterId, clientId } = resolveMatterClient(state, data);
  return addTransaction(state, account, {
    date: date(data.date, "date", today(state.now())),
    amount_cents: cents(data.amount, "amount"),
    transaction_type: "Deposit",
    source: "Manual",
    description: text(data.description),
    confirmation: text(data.reference),
    client_id: clientId,
    matter_id: matterId,
  });
}

export function trustWithdrawal(state: ClioState, data: Input): BankTransactionRec {
  const account = accountOf(state, "Trust", data.bank_account_id);
  const { matterId, clientId } = resolveMatterClient(state, data);
  const amount = cents(data.amount, "amount");
  const available =
    matterId === null
      ? trustBalance(state, account.id, "client", clientId)
      : trustBalance(state, account.id, "matter", matterId);
  if (available < amount) throw invalid("Insufficient trust funds");
  return addTransaction(state, account, {
    date: date(data.date, "date", today(state.now())),
    amount_cents: -amount,
    transaction_type: "Withdrawal",
    source: "Manual",
    description: text(data.description),
    confirmation: text(data.reference),
    client_id: clientId,
    matter_id: matterId,
  });
}

/**
 * A matter-to-matter transfer: the transfer record (shown by GET /bank_transfers/{id}) and its two
 * legs, created together — consecutive ids, one created_at, the same date, amount and description,
 * `transaction_type` Transfer and `source` BankTransfer. The API names no transfer on a leg (the
 * spec's BankTransaction has no such field), so a client pairs legs from these fields; the
 * emulator keeps the link (`bank_transfer_id`) only to edit and delete both legs together.
 */
export function trustTransfer(state: ClioState, data: Input): BankTransferRec {
  const account = accountOf(state, "Trust", data.bank_account_id);
  const from = state.get("matters", id(data.from_matter_id, "from_matter_id"));
  const to = state.get("matters", id(data.to_matter_id, "to_matter_id"));
  if (!from) throw notFound("Matter", data.from_matter_id);
  if (!to) throw notFound("Matter", data.to_matter_id);
  if (from.id === to.id) throw invalid("A transfer needs two different matters");
  const amount = cents(data.amount, "amount");
  if (trustBalance(state, account.id, "matter", from.id) < amount) throw invalid("Insufficient trust funds");
  const when = date(data.date, "date", today(state.now()));
  const transfer = state.insert("bank_transfers", {
    amount_cents: amount,
    date: Date.parse(`${when}T00:00:00Z`),
    description: text(data.description),
    client_id: to.client_id,
    matter_id: to.id,
    from_client_id: from.client_id,
    from_matter_id: from.id,
    source_account_id: account.id,
    destination_account_id: account.id,
  });
  const common = {
    date: when,
    transaction_type: "Transfer",
    source: "BankTransfer",
    description: transfer.description,
    bank_transfer_id: transfer.id,
  };
  addTransaction(state, account, {
    ...common,
    amount_cents: -amount,
    client_id: from.client_id,
    matter_id: from.id,
  });
  addTransaction(state, account, {
    ...common,
    amount_cents: amount,
    client_id: to.client_id,
    matter_id: to.id,
  });
  return transfer;
}

export function transferTransactions(state: ClioState, transferId: number): BankTransactionRec[] {
  return state.index("bank_transactions", "transfer", (t) => t.bank_transfer_id).get(transferId) ?? [];
}

export function editTransfer(state: ClioState, transfer: BankTransferRec, data: Input): BankTransferRec {
  const amount = data.amount === undefined ? transfer.amount_cents : cents(data.amount, "amount");
  const when =
    data.date === undefined ? new Date(transfer.date).toISOString().slice(0, 10) : date(data.date, "date");
  // Both legs follow the transfer, as they were made from it: amount, date and description.
  const description = data.description === undefined ? transfer.description : text(data.description);
  for (const t of [...transferTransactions(state, transfer.id)]) {
    state.update("bank_transactions", t.id, {
      amount_cents: Math.sign(t.amount_cents) * amount,
      date: when,
      description,
    });
  }
  return state.update("bank_transfers", transfer.id, {
    amount_cents: amount,
    date: Date.parse(`${when}T00:00:00Z`),
    description,
  });
}

export function deleteTransfer(state: ClioState, transfer: BankTransferRec): void {
  for (const t of [...transferTransactions(state, transfer.id)]) state.remove("bank_transactions", t.id);
  state.remove("bank_transfers", transfer.id);
}

/** Edits a manual trust addition or subtraction (amount keeps its direction). */
export function editTransaction(state: ClioState, tx: BankTransactionRec, data: Input): BankTransactionRec {
  if (tx.source !== "Manual") throw invalid("Only manual additions and subtractions can be edited here");
  const patch: Partial<BankTransactionRec> = {};
  if (data.amount !== undefined)
    patch.amount_cents = Math.sign(tx.amount_cents) * cents(data.amount, "amount");
  if (data.date !== undefined) patch.date = date(data.date, "date");
  if (data.description !== undefined) patch.description = text(data.description);
  if (data.reference !== undefined) patch.confirmation = text(data.reference);
  if (data.matter_id !== undefined) {
    const { matterId, clientId } = resolveMatterClient(state, { matter_id: data.matter_id });
    patch.matter_id = matterId;
    patch.client_id = clientId;
  }
  return state.update("bank_transactions", tx.id, patch);
}

export function deleteTransaction(state: ClioState, tx: BankTransactionRec): void {
  if (tx.source !== "Manual") throw invalid("Only manual additions and subtractions can be deleted here");
  state.remove("bank_transactions", tx.id);
}

/** POST /trust_requests: a trust_kind bill; `approved: true` skips approval. */
export function createTrustRequest(state: ClioState, data: Input): BillRec {
  const clientId = id(data.client_id, "client_id");
  if (!state.get("contacts", clientId)) throw notFound("Contact", clientId);
  const amount = cents(data.trust_amount, "trust_amount");
  const trustType = data.trust_type;
  if (trustType !== "client" && trustType !== "matter") throw invalid("trust_type must be client or matter");
  if (data.approved === undefined) throw invalid("approved can't be blank");
  const matters = ((data.matter ?? []) as Input[]).map((m) => {
    const matter = state.get("matters", id(m.id, "matter.id"));
    if (!matter || matter.client_id !== clientId) throw invalid("Each matter must belong to the client");
    return matter.id;
  });
  if (trustType === "matter" && matters.length === 0)
    throw invalid("A matter trust request needs at least one matter");
  const issued = date(data.issue_date, "issue_date");
  return state.insert("bills", {
    number: String(state.nextCounter("bill_number")),
    issued_at: issued,
    due_at: date(data.due_date, "due_date"),
    start_at: null,
    end_at: null,
    state: data.approved === true || data.approved === "true" ? "awaiting_payment" : "awaiting_approval",
    type: trustType === "matter" ? "MatterBill" : "ClientBill",
    kind: "trust_kind",
    subject: null,
    memo: text(data.note),
    purchase_order: null,
    tax_rate_milli: 0,
    secondary_tax_rate_milli: 0,
    discount: { rate_milli: 0, type: "percentage", note: null },
    discount_services_only: false,
    interest: { rate_milli: 0, type: "simple", period: 0, total_cents: 0 },
    client_id: clientId,
    matter_ids: matters,
    currency: "USD",
    destination_account_id: accountOf(state, "Trust", data.bank_account_id).id,
    original_bill_id: null,
    last_sent_at: null,
    trust_amount_cents: amount,
    trust_type: trustType,
  });
}

/** Pays a trust request: the money lands in trust on the client's (or first matter's) ledger. */
export function payTrustRequest(state: ClioState, bill: BillRec, data: Input): PaymentRec {
  if (bill.kind !== "trust_kind") throw invalid(`Bill ${bill.id} is not a trust request`);
  if (billState(state, bill) !== "awaiting_payment")
    throw invalid(`Trust request ${bill.id} is not awaiting payment`);
  const balance = billTotals(state, bill).balance;
  const amount = data.amount === undefined ? balance : cents(data.amount, "amount");
  if (amount > balance) throw invalid("Amount exceeds the balance of the trust request");
  const account = accountOf(state, "Trust", data.bank_account_id ?? bill.destination_account_id);
  const when = date(data.date, "date", today(state.now()));
  const matterId = bill.matter_ids[0] ?? null;
  const payment = state.insert("payments", {
    date: when,
    amount_cents: amount,
    description: text(data.description) ?? `Trust request ${bill.number}`,
    reference: text(data.reference),
    source_fund_type: matterId === null ? "Client" : "Matter",
    contact_id: bill.client_id,
    source_bank_account_id: null,
    destination_bank_account_id: account.id,
    voided_at: null,
  });
  const allocation = state.insert("allocations", {
    date: when,
    amount_cents: amount,
    interest: false,
    voided_at: null,
    description: payment.description,
    parent_type: "Payment",
    parent_id: payment.id,
    bill_id: bill.id,
    matter_id: matterId,
    contact_id: bill.client_id,
    source_bank_account_id: null,
    destination_bank_account_id: account.id,
  });
  addTransaction(state, account, {
    date: when,
    amount_cents: amount,
    transaction_type: "Deposit",
    source: "TrustRequest",
    description: payment.description,
    confirmation: payment.reference,
    client_id: bill.client_id,
    matter_id: matterId,
    bill_id: bill.id,
    allocation_id: allocation.id,
    payment_id: payment.id,
  });
  state.touch("bills", bill.id);
  return payment;
}
