import { z } from "zod";

/**
 * Clio Manage v4 response shapes (clio-api.md §5). Every field but `id` is optional because
 * `fields` selects them; objects keep unknown keys; enums accept unknown values, since Clio adds
 * enum values without a version bump (§1.2).
 */
const openEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.enum(values), z.string()]);
const nullableString = z.string().nullable().optional();
const money = z.number().nullable().optional();
const stamp = {
  id: z.number().int(),
  etag: z.string().optional(),
  created_at: nullableString,
  updated_at: nullableString,
};
/** A nested association: its default fields are only id and etag. */
const ref = z.looseObject({ id: z.number().int(), etag: z.string().optional() });

export const ClioEmailAddress = z.looseObject({
  ...stamp,
  address: z.string().optional(),
  name: z.string().optional(),
  primary: z.boolean().optional(),
});
export const ClioPhoneNumber = z.looseObject({
  ...stamp,
  number: z.string().optional(),
  name: z.string().optional(),
  primary: z.boolean().optional(),
});
export const ClioAddress = z.looseObject({
  ...stamp,
  id: z.number().int().optional(),
  street: nullableString,
  city: nullableString,
  province: nullableString,
  postal_code: nullableString,
  country: nullableString,
  name: z.string().optional(),
  primary: z.boolean().optional(),
});
export const ClioAccountBalance = z.looseObject({
  id: z.number().int(),
  balance: z.number(),
  type: openEnum(["Operating", "Trust"]).optional(),
  name: nullableString,
  currency_id: z.number().nullable().optional(),
});

export const ClioContact = z.looseObject({
  ...stamp,
  type: openEnum(["Person", "Company"]).optional(),
  name: nullableString,
  first_name: nullableString,
  middle_name: nullableString,
  last_name: nullableString,
  prefix: nullableString,
  title: nullableString,
  company: ref.nullable().optional(),
  primary_email_address: nullableString,
  primary_phone_number: nullableString,
  is_client: z.boolean().optional(),
  email_addresses: z.array(ClioEmailAddress).optional(),
  phone_numbers: z.array(ClioPhoneNumber).optional(),
  addresses: z.array(ClioAddress).optional(),
  account_balances: z.array(ClioAccountBalance).optional(),
});
export type ClioContact = z.infer<typeof ClioContact>;

export const ClioMatter = z.looseObject({
  ...stamp,
  number: z.number().optional(),
  display_number: nullableString,
  description: nullableString,
  status: openEnum(["Pending", "Open", "Closed"]).optional(),
  client: ref.nullable().optional(),
  client_id: z.number().nullable().optional(),
  billable: z.boolean().optional(),
  billing_method: openEnum(["flat", "contingency", "hourly"]).optional(),
  open_date: nullableString,
  close_date: nullableString,
  account_balances: z.array(ClioAccountBalance).optional(),
});
export type ClioMatter = z.infer<typeof ClioMatter>;

export const CLIO_BILL_STATES = [
  "draft",
  "awaiting_approval",
  "awaiting_payment",
  "paid",
  "void",
  "deleted",
] as const;
export const ClioBill = z.looseObject({
  ...stamp,
  number: nullableString,
  issued_at: nullableString,
  due_at: nullableString,
  state: openEnum(CLIO_BILL_STATES).optional(),
  type: openEnum(["MatterBill", "ClientBill"]).optional(),
  kind: openEnum([
    "revenue_kind",
    "summary_kind",
    "trust_kind",
    "aggregate_all",
    "aggregate_split",
    "aggregate_services",
    "aggregate_expenses",
  ]).optional(),
  subject: nullableString,
  memo: nullableString,
  sub_total: money,
  tax_rate: money,
  secondary_tax_rate: money,
  tax_sum: money,
  secondary_tax_sum: money,
  total: money,
  due: money,
  balance: money,
  paid: money,
  paid_at: nullableString,
  credits_issued: money,
  discount: z
    .looseObject({
      rate: z.number().nullable().optional(),
      type: z.string().nullable().optional(),
      note: nullableString,
    })
    .nullable()
    .optional(),
  interest: z
    .looseObject({
      rate: money,
      total: money,
      type: nullableString,
      period: z.number().nullable().optional(),
    })
    .nullable()
    .optional(),
  currency: z
    .looseObject({ id: z.number().optional(), code: z.string().optional(), sign: z.string().optional() })
    .nullable()
    .optional(),
  client: ref.nullable().optional(),
  matters: z.array(ref).optional(),
  available_state_transitions: z.array(z.string()).optional(),
});
export type ClioBill = z.infer<typeof ClioBill>;

export const ClioLineItem = z.looseObject({
  ...stamp,
  type: openEnum(["ActivityLineItem", "LineItem", "NoChargeLineItem", "SummaryLineItem"]).optional(),
  kind: openEnum(["Service", "Expense", "Product"]).optional(),
  description: nullableString,
  date: nullableString,
  quantity: money,
  price: money,
  sub_total: money,
  total: money,
  taxable: z.boolean().optional(),
  secondary_taxable: z.boolean().optional(),
  note: nullableString,
  bill: ref.nullable().optional(),
  matter: ref.nullable().optional(),
  activity: ref.nullable().optional(),
});
export type ClioLineItem = z.infer<typeof ClioLineItem>;

export const ClioActivity = z.looseObject({
  ...stamp,
  type: openEnum(["TimeEntry", "ExpenseEntry", "HardCostEntry", "SoftCostEntry"]).optional(),
  date: nullableString,
  quantity: money,
  price: money,
  total: money,
  billed: z.boolean().optional(),
  matter: ref.nullable().optional(),
  bill: ref.nullable().optional(),
});
export type ClioActivity = z.infer<typeof ClioActivity>;

const bankRef = z.looseObject({
  id: z.number().int(),
  etag: z.string().optional(),
  type: z.string().optional(),
});

export const ClioAllocation = z.looseObject({
  ...stamp,
  date: nullableString,
  amount: money,
  interest: z.boolean().optional(),
  voided_at: nullableString,
  description: nullableString,
  bill: ref.nullable().optional(),
  parent: z
    .looseObject({ id: z.number().int(), type: openEnum(["Payment", "CreditMemo"]).optional() })
    .nullable()
    .optional(),
  matter: ref.nullable().optional(),
  contact: ref.nullable().optional(),
  source_bank_account: bankRef.nullable().optional(),
  destination_bank_account: bankRef.nullable().optional(),
});
export type ClioAllocation = z.infer<typeof ClioAllocation>;

export const ClioCreditMemo = z.looseObject({
  ...stamp,
  date: nullableString,
  amount: money,
  description: nullableString,
  discount: z.boolean().optional(),
  voided_at: nullableString,
  contact: ref.nullable().optional(),
});
export type ClioCreditMemo = z.infer<typeof ClioCreditMemo>;

export const ClioBankAccount = z.looseObject({
  ...stamp,
  type: openEnum(["Operating", "Trust"]).optional(),
  name: nullableString,
  currency: nullableString,
  balance: money,
  bank_transactions_count: z.number().int().nullable().optional(),
  default_account: z.boolean().optional(),
});
export type ClioBankAccount = z.infer<typeof ClioBankAccount>;

export const ClioBankTransaction = z.looseObject({
  ...stamp,
  type: nullableString,
  transaction_type: nullableString,
  source: nullableString,
  date: nullableString,
  amount: money,
  funds_in: money,
  funds_out: money,
  description: nullableString,
  confirmation: nullableString,
  current_account_balance: money,
  client: ref.nullable().optional(),
  matter: ref.nullable().optional(),
  bank_account: bankRef.nullable().optional(),
  bill: ref.nullable().optional(),
  allocation: ref.nullable().optional(),
});
export type ClioBankTransaction = z.infer<typeof ClioBankTransaction>;

export const ClioBankTransfer = z.looseObject({
  ...stamp,
  amount: money,
  date: nullableString,
  description: nullableString,
  client: ref.nullable().optional(),
  matter: ref.nullable().optional(),
  source_account: bankRef.nullable().optional(),
  destination_account: bankRef.nullable().optional(),
});
export type ClioBankTransfer = z.infer<typeof ClioBankTransfer>;

export const ClioWebhook = z.looseObject({
  ...stamp,
  url: z.string().optional(),
  fields: z.string().optional(),
  shared_secret: z.string().optional(),
  model: z.string().optional(),
  status: openEnum(["pending", "enabled", "suspended"]).optional(),
  events: z.array(z.string()).optional(),
  expires_at: nullableString,
});
export type ClioWebhook = z.infer<typeof ClioWebhook>;

export const ClioUser = z.looseObject({
  ...stamp,
  name: nullableString,
  email: nullableString,
  /** The firm (Clio "Account") the user belongs to. */
  account: z.looseObject({ id: z.number().int().optional(), name: nullableString }).nullish(),
});
export type ClioUser = z.infer<typeof ClioUser>;

export const ClioWebhookDelivery = z.object({
  data: z.looseObject({ id: z.number().int() }),
  meta: z.looseObject({ event: z.string(), webhook_id: z.number().int() }),
});
export type ClioWebhookDelivery = z.infer<typeof ClioWebhookDelivery>;

export const ClioTokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
});

/** The record each list the sync reads yields, by the engine's name for the list. */
export interface ClioSyncRecords {
  contact: ClioContact;
  bill: ClioBill;
  line_item: ClioLineItem;
  allocation: ClioAllocation;
  credit_memo: ClioCreditMemo;
  bank_account: ClioBankAccount;
  bank_transaction: ClioBankTransaction;
}
