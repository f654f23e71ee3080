import { versionAtLeast } from "../config.ts";
import {
  accountBalance,
  availableTransitions,
  billState,
  billTotals,
  lineTotal,
  runningBalance,
} from "../domain/ledger.ts";
import { assoc, type Ctx, defineResource, scalar } from "../fields.ts";
import { iso } from "../http.ts";
import { divRound, fromCents, fromMilli } from "../money.ts";
import type {
  ActivityRec,
  AllocationRec,
  BankAccountRec,
  BankTransactionRec,
  BankTransferRec,
  BillRec,
  CreditMemoRec,
  LineItemRec,
  PaymentRec,
  WebhookRec,
} from "../records.ts";
import { currencyOf } from "./specs-contacts.ts";

/** Field specs of the money resources (clio-api.md §5.3–§5.9). Amounts are emitted as decimals. */
const stamp = <R extends { id: number; etag: string; created_at: number; updated_at: number }>() => ({
  id: scalar<R>((r) => r.id),
  etag: scalar<R>((r) => r.etag),
  created_at: scalar<R>((r) => iso(r.created_at)),
  updated_at: scalar<R>((r) => iso(r.updated_at)),
});

const totals = (r: BillRec, ctx: Ctx) => billTotals(ctx.state, r);
const money = (pick: (t: ReturnType<typeof billTotals>) => number) =>
  scalar<BillRec>((r, ctx) => fromCents(pick(totals(r, ctx))));
const contact = <R>(get: (r: R) => number | null) =>
  assoc<R>("contact", (r, ctx) => {
    const id = get(r);
    return id === null ? null : (ctx.state.get("contacts", id) ?? null);
  });
const matter = <R>(get: (r: R) => number | null) =>
  assoc<R>("matter", (r, ctx) => {
    const id = get(r);
    return id === null ? null : (ctx.state.get("matters", id) ?? null);
  });
const bankAccount = <R>(get: (r: R) => number | null) =>
  assoc<R>("bank_account", (r, ctx) => {
    const id = get(r);
    return id === null ? null : (ctx.state.get("bank_accounts", id) ?? null);
  });
const bill = <R>(get: (r: R) => number | null) =>
  assoc<R>("bill", (r, ctx) => {
    const id = get(r);
    return id === null ? null : (ctx.state.get("bills", id) ?? null);
  });

defineResource<BillRec>({
  name: "bill",
  fields: {
    ...stamp<BillRec>(),
    number: scalar((r) => r.number),
    issued_at: scalar((r) => r.issued_at),
    due_at: scalar((r) => r.due_at),
    start_at: scalar((r) => r.start_at),
    end_at: scalar((r) => r.end_at),
    state: scalar((r, ctx) => billState(ctx.state, r)),
    available_state_transitions: scalar((r, ctx) => availableTransitions(billState(ctx.state, r))),
    type: scalar((r) => r.type),
    kind: scalar((r) => r.kind),
    subject: scalar((r) => r.subject),
    memo: scalar((r) => r.memo),
    purchase_order: scalar((r) => r.purchase_order),
    tax_rate: scalar((r) => fromMilli(r.tax_rate_milli)),
    secondary_tax_rate: scalar((r) => fromMilli(r.secondary_tax_rate_milli)),
    sub_total: money((t) => t.sub_total),
    tax_sum: money((t) => t.tax_sum),
    secondary_tax_sum: money((t) => t.secondary_tax_sum),
    total_tax: money((t) => t.tax_sum + t.secondary_tax_sum),
    services_sub_total: money((t) => t.services_sub_total),
    services_tax: money((t) => t.services_tax),
    services_secondary_tax: money((t) => t.services_secondary_tax),
    taxable_sub_total: money((t) => t.taxable_sub_total),
    secondary_taxable_sub_total: money((t) => t.secondary_taxable_sub_total),
    services_taxable_sub_total: money((t) => t.services_taxable_sub_total),
    services_secondary_taxable_sub_total: money((t) => t.services_secondary_taxable_sub_total),
    total: money((t) => t.total),
    due: money((t) => t.total),
    balance: money((t) => t.balance),
    paid: money((t) => t.paid),
    paid_at: scalar((r, ctx) => totals(r, ctx).paid_at),
    pending: scalar(() => 0),
    credits_issued: money((t) => t.credits_issued),
    discount: scalar((r) => ({
      rate: r.discount.type === "money" ? fromMilli(r.discount.rate_milli) : fromMilli(r.discount.rate_milli),
      type: r.discount.type,
      note: r.discount.note,
      early_payment_rate: 0,
      early_payment_period: 0,
    })),
    interest: scalar((r) => ({
      balance: fromCents(r.interest.total_cents),
      period: r.interest.period,
      rate: fromMilli(r.interest.rate_milli),
      total: fromCents(r.interest.total_cents),
      type: r.interest.type,
    })),
    discount_services_only: scalar((r) => String(r.discount_services_only)),
    can_update: scalar((r, ctx) => ["draft", "awaiting_approval"].includes(billState(ctx.state, r))),
    shared: scalar(() => false),
    last_sent_at: scalar((r) => iso(r.last_sent_at)),
    client: contact((r) => r.client_id),
    matters: assoc("matter", (r, ctx) =>
      r.matter_ids.map((id) => ctx.state.get("matters", id)).filter(Boolean),
    ),
    original_bill: bill((r) => r.original_bill_id),
    destination_account: bankAccount((r) => r.destination_account_id),
    currency: scalar((r) => currencyOf(r.currency)),
    balances: scalar((r, ctx) => {
      const t = totals(r, ctx);
      return [
        {
          id: r.client_id,
          amount: fromCents(t.balance),
          type: "Client",
          interest_amount: 0,
          due: fromCents(t.balance),
        },
      ];
    }),
    matter_totals: scalar((r, ctx) =>
      r.matter_ids.map((id) => ({ id, amount: fromCents(totals(r, ctx).total) })),
    ),
  },
});

defineResource<LineItemRec>({
  name: "line_item",
  fields: {
    ...stamp<LineItemRec>(),
    type: scalar((r) => r.type),
    kind: scalar((r) => r.kind),
    description: scalar((r) => r.description),
    date: scalar((r) => r.date),
    quantity: scalar((r) => fromMilli(r.quantity_milli)),
    price: scalar((r) => fromCents(r.price_cents)),
    sub_total: scalar((r) => fromCents(lineTotal(r))),
    total: scalar((r) => fromCents(lineTotal(r))),
    tax: scalar(() => 0),
    secondary_tax: scalar(() => 0),
    taxable: scalar((r) => r.taxable),
    secondary_taxable: scalar((r) => r.secondary_taxable),
    note: scalar((r) => r.note),
    group_ordering: scalar((r) => r.group_ordering),
    bill: bill((r) => r.bill_id),
    matter: matter((r) => r.matter_id),
    activity: assoc("activity", (r, ctx) =>
      r.activity_id === null ? null : (ctx.state.get("activities", r.activity_id) ?? null),
    ),
    discount: scalar(() => ({ rate: 0, type: "percentage" })),
  },
});

defineResource<ActivityRec>({
  name: "activity",
  fields: {
    ...stamp<ActivityRec>(),
    type: scalar((r) => r.type),
    date: scalar((r) => r.date),
    // 4.0.4: time quantities are seconds (hours before) — clio-api.md §1.2.
    quantity: scalar((r, ctx) =>
      r.type === "TimeEntry" && !versionAtLeast(ctx.apiVersion, "4.0.4")
        ? r.quantity / 3600
        : r.type === "TimeEntry"
          ? r.quantity
          : r.quantity / 1000,
    ),
    rounded_quantity: scalar((r) => (r.type === "TimeEntry" ? r.quantity : null)),
    quantity_in_hours: scalar((r) => (r.type === "TimeEntry" ? r.quantity / 3600 : null)),
    rounded_quantity_in_hours: scalar((r) => (r.type === "TimeEntry" ? r.quantity / 3600 : null)),
    quantity_redacted: scalar(() => false),
    price: scalar((r) => fromCents(r.price_cents)),
    total: scalar((r) =>
      fromCents(divRound(r.quantity * r.price_cents, r.type === "TimeEntry" ? 3600 : 1000)),
    ),
    non_billable: scalar((r) => r.non_billable),
    no_charge: scalar((r) => r.no_charge),
    flat_rate: scalar((r) => r.flat_rate),
    billed: scalar((r, ctx) => {
      const b = r.bill_id === null ? undefined : ctx.state.get("bills", r.bill_id);
      return b ? ["awaiting_payment", "paid"].includes(billState(ctx.state, b)) : false;
    }),
    on_bill: scalar((r, ctx) => {
      const b = r.bill_id === null ? undefined : ctx.state.get("bills", r.bill_id);
      return b ? !["void", "deleted"].includes(b.state) : false;
    }),
    note: scalar((r) => r.note),
    reference: scalar((r) => r.reference),
    tax_setting: scalar((r) => r.tax_setting),
    matter: matter((r) => r.matter_id),
    bill: bill((r) => r.bill_id),
    user: assoc("user", (r, ctx) => ctx.state.get("users", r.user_id) ?? null),
  },
});

defineResource<PaymentRec>({
  name: "payment",
  fields: {
    ...stamp<PaymentRec>(),
    type: scalar(() => "Payment"),
    description: scalar((r) => r.description),
    reference: scalar((r) => r.reference),
    amount: scalar((r) => fromCents(r.amount_cents)),
    date: scalar((r) => r.date),
    source_fund_type: scalar((r) => r.source_fund_type),
    voided_at: scalar((r) => iso(r.voided_at)),
    contact: contact((r) => r.contact_id),
    source_bank_account: bankAccount((r) => r.source_bank_account_id),
    destination_bank_account: bankAccount((r) => r.destination_bank_account_id),
  },
});

defineResource<CreditMemoRec>({
  name: "credit_memo",
  fields: {
    ...stamp<CreditMemoRec>(),
    type: scalar(() => "CreditMemo"),
    date: scalar((r) => r.date),
    amount: scalar((r) => fromCents(r.amount_cents)),
    description: scalar((r) => r.description),
    discount: scalar((r) => r.discount),
    voided_at: scalar((r) => iso(r.voided_at)),
    contact: contact((r) => r.contact_id),
    allocations: assoc(
      "allocation",
      (r, ctx) =>
        ctx.state
          .index("allocations", "parent", (a) => `${a.parent_type}:${a.parent_id}`)
          .get(`CreditMemo:${r.id}`) ?? [],
    ),
  },
});

/** The polymorphic `parent`: a Payment or a CreditMemo, with `type` and `identifier`. */
interface Parent {
  rec: PaymentRec | CreditMemoRec;
  type: "Payment" | "CreditMemo";
}
defineResource<Parent>({
  name: "allocation_parent",
  fields: {
    id: scalar((p) => p.rec.id),
    etag: scalar((p) => p.rec.etag),
    type: scalar((p) => p.type),
    identifier: scalar((p) => `${p.type}-${p.rec.id}`),
    amount: scalar((p) => fromCents(p.rec.amount_cents)),
    date: scalar((p) => p.rec.date),
    description: scalar((p) => p.rec.description),
    voided_at: scalar((p) => iso(p.rec.voided_at)),
    reference: scalar((p) => ("reference" in p.rec ? p.rec.reference : null)),
    source_fund_type: scalar((p) => ("source_fund_type" in p.rec ? p.rec.source_fund_type : null)),
    created_at: scalar((p) => iso(p.rec.created_at)),
    updated_at: scalar((p) => iso(p.rec.updated_at)),
  },
});

defineResource<AllocationRec>({
  name: "allocation",
  fields: {
    ...stamp<AllocationRec>(),
    date: scalar((r) => r.date),
    amount: scalar((r) => fromCents(r.amount_cents)),
    interest: scalar((r) => r.interest),
    voided_at: scalar((r) => iso(r.voided_at)),
    description: scalar((r) => r.description),
    has_online_payment: scalar(() => false),
    destroyable: scalar((r) => r.voided_at === null),
    payment_type: scalar(() => null),
    bill: bill((r) => r.bill_id),
    parent: assoc("allocation_parent", (r, ctx) => {
      const rec =
        r.parent_type === "Payment"
          ? ctx.state.get("payments", r.parent_id)
          : ctx.state.get("credit_memos", r.parent_id);
      return rec ? { rec, type: r.parent_type } : null;
    }),
    matter: matter((r) => r.matter_id),
    contact: contact((r) => r.contact_id),
    source_bank_account: bankAccount((r) => r.source_bank_account_id),
    destination_bank_account: bankAccount((r) => r.destination_bank_account_id),
  },
});

defineResource<BankAccountRec>({
  name: "bank_account",
  fields: {
    ...stamp<BankAccountRec>(),
    type: scalar((r) => r.type),
    name: scalar((r) => r.name),
    account_number: scalar((r) => r.account_number),
    transit_number: scalar((r) => r.transit_number),
    institution: scalar((r) => r.institution),
    domicile_branch: scalar(() => null),
    swift: scalar((r) => r.swift),
    holder: scalar((r) => r.holder),
    currency: scalar((r) => r.currency),
    currency_id: scalar((r) => currencyOf(r.currency).id),
    currency_symbol: scalar((r) => currencyOf(r.currency).sign),
    balance: scalar((r, ctx) => fromCents(accountBalance(ctx.state, r.id))),
    default_account: scalar((r) => r.default_account),
    controlled_account: scalar((r) => r.controlled_account),
    general_ledger_number: scalar((r) => r.general_ledger_number),
    bank_transactions_count: scalar(
      (r, ctx) =>
        ctx.state.index("bank_transactions", "account", (t) => t.bank_account_id).get(r.id)?.length ?? 0,
    ),
    clio_payments_enabled: scalar(() => false),
  },
});

defineResource<BankTransactionRec>({
  name: "bank_transaction",
  fields: {
    ...stamp<BankTransactionRec>(),
    type: scalar((r) => r.type),
    transaction_type: scalar((r) => r.transaction_type),
    source: scalar((r) => r.source),
    bank_account_id: scalar((r) => r.bank_account_id),
    date: scalar((r) => r.date),
    amount: scalar((r) => fromCents(Math.abs(r.amount_cents))),
    funds_in: scalar((r) => fromCents(Math.max(0, r.amount_cents))),
    funds_out: scalar((r) => fromCents(Math.max(0, -r.amount_cents))),
    currency: scalar((r, ctx) => ctx.state.get("bank_accounts", r.bank_account_id)?.currency ?? "USD"),
    currency_id: scalar(
      (r, ctx) => currencyOf(ctx.state.get("bank_accounts", r.bank_account_id)?.currency ?? "USD").id,
    ),
    exchange_rate: scalar(() => 1),
    description: scalar((r) => r.description),
    confirmation: scalar((r) => r.confirmation),
    read_only_confirmation: scalar(() => false),
    clio_payments_transaction: scalar(() => false),
    current_account_balance: scalar((r, ctx) => fromCents(runningBalance(ctx.state, r.id))),
    client: contact((r) => r.client_id),
    matter: matter((r) => r.matter_id),
    bank_account: bankAccount((r) => r.bank_account_id),
    bill: bill((r) => r.bill_id),
    allocation: assoc("allocation", (r, ctx) =>
      r.allocation_id === null ? null : (ctx.state.get("allocations", r.allocation_id) ?? null),
    ),
  },
});

defineResource<BankTransferRec>({
  name: "bank_transfer",
  fields: {
    ...stamp<BankTransferRec>(),
    amount: scalar((r) => fromCents(r.amount_cents)),
    date: scalar((r) => iso(r.date)),
    description: scalar((r) => r.description),
    primary_authorizer: scalar(() => null),
    secondary_authorizer: scalar(() => null),
    client: contact((r) => r.client_id),
    matter: matter((r) => r.matter_id),
    source_account: bankAccount((r) => r.source_account_id),
    destination_account: bankAccount((r) => r.destination_account_id),
  },
});

defineResource<{ id: number; etag: string; created_at: number; updated_at: number }>({
  name: "trust_request",
  fields: stamp(),
});

defineResource<WebhookRec>({
  name: "webhook",
  fields: {
    ...stamp<WebhookRec>(),
    url: scalar((r) => r.url),
    fields: scalar((r) => r.fields),
    shared_secret: scalar((r) => r.shared_secret),
    model: scalar((r) => r.model),
    status: scalar((r) => r.status),
    events: scalar((r) => r.events),
    expires_at: scalar((r) => iso(r.expires_at)),
  },
});
