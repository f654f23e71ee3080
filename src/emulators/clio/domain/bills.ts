import { invalid, notFound } from "../http.ts";
import { toMilli } from "../money.ts";
import type { BillRec, BillState, LineItemRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { cents, date, type Input, id, milli, text, today } from "./input.ts";
import { availableTransitions, billAllocations, billLines, billState } from "./ledger.ts";

/**
 * Bills as Clio's web app makes them (there is no POST /bills, clio-api.md §5.3), plus the rules of
 * the public PATCH and DELETE: DELETE turns draft/awaiting_approval into deleted and
 * awaiting_payment into void, and is refused (422) once payments exist.
 */
export function createBill(state: ClioState, data: Input): BillRec {
  const matterIds = (Array.isArray(data.matter_ids) ? data.matter_ids : [data.matter_id ?? data.matter]).map(
    (m) => id(m, "matter_id"),
  );
  const matters = matterIds.map((m) => state.get("matters", m) ?? fail(notFound("Matter", m)));
  const clientId = data.client_id === undefined ? matters[0]!.client_id : id(data.client_id, "client_id");
  if (!state.get("contacts", clientId)) throw notFound("Contact", clientId);
  const issued = date(data.issued_at, "issued_at", today(state.now()));
  const initial = (data.state ?? "draft") as BillState;
  if (!["draft", "awaiting_approval", "awaiting_payment"].includes(initial)) {
    throw invalid("state must be draft, awaiting_approval or awaiting_payment");
  }
  const number = data.number === undefined ? String(state.nextCounter("bill_number")) : String(data.number);
  const discount = (data.discount ?? {}) as Input;
  const interest = (data.interest ?? {}) as Input;
  const bill = state.insert("bills", {
    number,
    issued_at: issued,
    due_at: date(data.due_at, "due_at", issued),
    start_at: data.start_at ? date(data.start_at, "start_at") : null,
    end_at: data.end_at ? date(data.end_at, "end_at") : null,
    state: initial,
    type: matterIds.length > 1 || data.type === "ClientBill" ? "ClientBill" : "MatterBill",
    kind: String(data.kind ?? "revenue_kind"),
    subject: text(data.subject),
    memo: text(data.memo),
    purchase_order: text(data.purchase_order),
    tax_rate_milli: milli(data.tax_rate, "tax_rate"),
    secondary_tax_rate_milli: milli(data.secondary_tax_rate, "secondary_tax_rate"),
    discount: {
      rate_milli: milli(discount.rate, "discount.rate"),
      type: discount.type === "money" ? "money" : "percentage",
      note: text(discount.note),
    },
    discount_services_only: Boolean(data.discount_services_only),
    interest: {
      rate_milli: milli(interest.rate, "interest.rate"),
      type: interest.type === "compound" ? "compound" : "simple",
      period: Number(interest.period ?? 30),
      total_cents:
        interest.total === undefined ? 0 : cents(interest.total, "interest.total", { positive: false }),
    },
    client_id: clientId,
    matter_ids: matterIds,
    currency: String(data.currency ?? "USD"),
    destination_account_id: data.destination_account_id
      ? id(data.destination_account_id, "destination_account_id")
      : null,
    original_bill_id: null,
    last_sent_at: null,
    trust_amount_cents: null,
    trust_type: null,
  });
  try {
    for (const item of (data.line_items ?? []) as Input[]) addLineItem(state, bill, item, false);
  } catch (e) {
    for (const line of [...billLines(state, bill.id)]) {
      state.remove("line_items", line.id);
      if (line.activity_id !== null) state.remove("activities", line.activity_id);
    }
    state.remove("bills", bill.id);
    throw e;
  }
  return bill;
}

function fail(e: Error): never {
  throw e;
}

/** Adds a line; services and expenses also get the underlying activity (ActivityLineItem). */
export function addLineItem(state: ClioState, bill: BillRec, item: Input, touch = true): LineItemRec {
  const kind = item.kind === "Expense" ? "Expense" : item.kind === "Product" ? "Product" : "Service";
  const quantityMilli = milli(item.quantity ?? 1, "quantity");
  const priceCents = cents(item.price, "price", { positive: false });
  const lineDate = date(item.date, "date", bill.issued_at);
  const matterId =
    item.matter_id === undefined ? (bill.matter_ids[0] ?? null) : id(item.matter_id, "matter_id");
  let activityId: number | null = null;
  if (item.activity !== false) {
    const user = state.all("users")[Symbol.iterator]().next().value;
    const activity = state.insert("activities", {
      type: kind === "Service" ? "TimeEntry" : "ExpenseEntry",
      date: lineDate,
      quantity: kind === "Service" ? Math.round((quantityMilli * 36) / 10) : quantityMilli,
      price_cents: priceCents,
      matter_id: matterId,
      user_id: user?.id ?? 0,
      bill_id: bill.id,
      note: text(item.description),
      non_billable: false,
      no_charge: false,
      flat_rate: false,
      reference: null,
      tax_setting: item.taxable ? "tax_1_only" : "no_tax",
    });
    activityId = activity.id;
  }
  const line = state.insert("line_items", {
    bill_id: bill.id,
    matter_id: matterId,
    activity_id: activityId,
    type: item.no_charge ? "NoChargeLineItem" : activityId === null ? "LineItem" : "ActivityLineItem",
    kind,
    description: String(item.description ?? ""),
    date: lineDate,
    quantity_milli: quantityMilli,
    price_cents: priceCents,
    taxable: Boolean(item.taxable),
    secondary_taxable: Boolean(item.secondary_taxable),
    note: text(item.note),
    group_ordering: Number(item.group_ordering ?? billLines(state, bill.id).length + 1),
  });
  if (touch) state.touch("bills", bill.id);
  return line;
}

export function updateLineItem(state: ClioState, line: LineItemRec, data: Input): LineItemRec {
  const patch: Partial<LineItemRec> = {};
  if (data.description !== undefined) patch.description = String(data.description);
  if (data.date !== undefined) patch.date = date(data.date, "date");
  if (data.price !== undefined) patch.price_cents = cents(data.price, "price", { positive: false });
  if (data.quantity !== undefined) patch.quantity_milli = milli(data.quantity, "quantity");
  if (data.taxable !== undefined) patch.taxable = Boolean(data.taxable);
  if (data.secondary_taxable !== undefined) patch.secondary_taxable = Boolean(data.secondary_taxable);
  if (data.note !== undefined) patch.note = text(data.note);
  if (data.kind !== undefined)
    patch.kind = data.kind === "Expense" ? "Expense" : data.kind === "Product" ? "Product" : "Service";
  if (data.group_ordering !== undefined) patch.group_ordering = Number(data.group_ordering);
  const updated = state.update("line_items", line.id, patch);
  state.touch("bills", line.bill_id);
  return updated;
}

export function removeLineItem(state: ClioState, line: LineItemRec): void {
  state.remove("line_items", line.id);
  if (line.activity_id !== null && state.get("activities", line.activity_id)) {
    state.update("activities", line.activity_id, { bill_id: null });
  }
  state.touch("bills", line.bill_id);
}

export function isEditable(state: ClioState, bill: BillRec): boolean {
  const s = billState(state, bill);
  return s === "draft" || s === "awaiting_approval";
}

/** The public PATCH /bills/{id}: header fields and `state` along available transitions. */
export function patchBill(state: ClioState, bill: BillRec, data: Input, admin = false): BillRec {
  const patch: Partial<BillRec> = {};
  for (const k of ["memo", "subject", "purchase_order"] as const)
    if (data[k] !== undefined) patch[k] = text(data[k]);
  if (data.number !== undefined) patch.number = String(data.number);
  if (data.issued_at !== undefined) patch.issued_at = date(data.issued_at, "issued_at");
  if (data.due_at !== undefined) patch.due_at = date(data.due_at, "due_at");
  if (data.tax_rate !== undefined) patch.tax_rate_milli = milli(data.tax_rate, "tax_rate");
  if (data.secondary_tax_rate !== undefined)
    patch.secondary_tax_rate_milli = milli(data.secondary_tax_rate, "secondary_tax_rate");
  if (data.discount !== undefined) {
    const d = data.discount as Input;
    patch.discount = {
      rate_milli: d.rate === undefined ? bill.discount.rate_milli : milli(d.rate, "discount.rate"),
      type: d.type === undefined ? bill.discount.type : d.type === "money" ? "money" : "percentage",
      note: d.note === undefined ? bill.discount.note : text(d.note),
    };
  }
  if (data.interest !== undefined) {
    const i = data.interest as Input;
    patch.interest = {
      ...bill.interest,
      ...(i.rate !== undefined ? { rate_milli: toMilli(i.rate) } : {}),
      ...(i.type !== undefined
        ? { type: i.type === "compound" ? ("compound" as const) : ("simple" as const) }
        : {}),
      ...(i.period !== undefined ? { period: Number(i.period) } : {}),
      ...(i.total !== undefined && admin
        ? { total_cents: cents(i.total, "interest.total", { positive: false }) }
        : {}),
    };
  }
  if (data.state !== undefined) {
    const target = String(data.state) as BillState;
    const current = billState(state, bill);
    if (target !== current) {
      if (!availableTransitions(current).includes(target))
        throw invalid(`A ${current} bill cannot become ${target}`);
      if ((target === "void" || target === "deleted") && hasPayments(state, bill)) {
        throw invalid("A bill with payments cannot be voided or deleted");
      }
      patch.state = target;
    }
  }
  const money = Object.keys(patch).some(
    (k) => k !== "memo" && k !== "subject" && k !== "purchase_order" && k !== "state",
  );
  if (money && !admin && !isEditable(state, bill)) throw invalid("This bill can no longer be edited");
  const updated = state.update("bills", bill.id, patch);
  if (admin && Array.isArray(data.line_items)) applyLineEdits(state, updated, data.line_items as Input[]);
  return updated;
}

function applyLineEdits(state: ClioState, bill: BillRec, items: Input[]): void {
  for (const item of items) {
    if (item.id === undefined) {
      addLineItem(state, bill, item);
      continue;
    }
    const line = state.get("line_items", id(item.id, "line_items.id"));
    if (!line || line.bill_id !== bill.id) throw invalid(`Line item ${String(item.id)} is not on this bill`);
    if (item._destroy) removeLineItem(state, line);
    else updateLineItem(state, line, item);
  }
}

export function hasPayments(state: ClioState, bill: BillRec): boolean {
  return billAllocations(state, bill.id).some((a) => a.voided_at === null && a.parent_type === "Payment");
}

/** DELETE /bills/{id}: draft/awaiting_approval → deleted, awaiting_payment → void; 422 with payments. */
export function deleteBill(state: ClioState, bill: BillRec): BillRec {
  if (hasPayments(state, bill)) throw invalid("Bills with payments cannot be deleted or voided");
  const current = billState(state, bill);
  if (current === "draft" || current === "awaiting_approval")
    return state.update("bills", bill.id, { state: "deleted" });
  if (current === "awaiting_payment") return state.update("bills", bill.id, { state: "void" });
  throw invalid(`A ${current} bill cannot be deleted`);
}

export function approveBill(state: ClioState, bill: BillRec): BillRec {
  const current = billState(state, bill);
  if (current !== "draft" && current !== "awaiting_approval")
    throw invalid(`A ${current} bill cannot be approved`);
  return state.update("bills", bill.id, { state: "awaiting_payment" });
}

export function findBill(state: ClioState, raw: unknown): BillRec {
  const billId = id(raw, "bill_id");
  const bill = state.get("bills", billId);
  if (!bill) throw notFound("Bill", billId);
  return bill;
}
