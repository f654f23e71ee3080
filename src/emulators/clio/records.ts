/**
 * The emulator's stored records. Money is integer cents (`*_cents`), rates milli-percent
 * (`*_milli`), instants epoch milliseconds truncated to seconds, dates `YYYY-MM-DD`. Derived values
 * (bill balances, account balances, running balances) are computed on read, never stored.
 */

export interface Stamp {
  id: number;
  etag: string;
  created_at: number;
  updated_at: number;
}

export interface EmailRec extends Stamp {
  address: string;
  name: string;
  primary: boolean;
}

export interface PhoneRec extends Stamp {
  number: string;
  name: string;
  primary: boolean;
}

export interface AddressRec extends Stamp {
  street: string;
  city: string;
  province: string;
  postal_code: string;
  country: string;
  name: string;
  primary: boolean;
}

export interface ContactRec extends Stamp {
  type: "Person" | "Company";
  name: string;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  prefix: string | null;
  title: string | null;
  company_id: number | null;
  date_of_birth: string | null;
  sales_tax_number: string | null;
  ledes_client_id: string | null;
  clio_connect_email: string | null;
  email_addresses: EmailRec[];
  phone_numbers: PhoneRec[];
  addresses: AddressRec[];
}

export interface MatterRec extends Stamp {
  number: number;
  display_number: string;
  custom_number: string | null;
  description: string;
  status: "Pending" | "Open" | "Closed";
  client_id: number;
  client_reference: string | null;
  location: string | null;
  billable: boolean;
  billing_method: "flat" | "contingency" | "hourly";
  open_date: string | null;
  pending_date: string | null;
  close_date: string | null;
}

export type BillState = "draft" | "awaiting_approval" | "awaiting_payment" | "paid" | "void" | "deleted";
export const BILL_STATES: readonly BillState[] = [
  "draft",
  "awaiting_approval",
  "awaiting_payment",
  "paid",
  "void",
  "deleted",
];

export interface BillRec extends Stamp {
  number: string;
  issued_at: string;
  due_at: string;
  start_at: string | null;
  end_at: string | null;
  /** Stored state; `paid` is derived from the balance when the stored state is awaiting_payment. */
  state: BillState;
  type: "MatterBill" | "ClientBill";
  kind: string;
  subject: string | null;
  memo: string | null;
  purchase_order: string | null;
  tax_rate_milli: number;
  secondary_tax_rate_milli: number;
  discount: { rate_milli: number; type: "percentage" | "money"; note: string | null };
  discount_services_only: boolean;
  interest: { rate_milli: number; type: "simple" | "compound"; period: number; total_cents: number };
  client_id: number;
  matter_ids: number[];
  currency: string;
  destination_account_id: number | null;
  original_bill_id: number | null;
  last_sent_at: number | null;
  /** Set for trust requests (kind trust_kind): the amount asked for. */
  trust_amount_cents: number | null;
  trust_type: "client" | "matter" | null;
}

export interface LineItemRec extends Stamp {
  bill_id: number;
  matter_id: number | null;
  activity_id: number | null;
  type: "ActivityLineItem" | "LineItem" | "NoChargeLineItem" | "SummaryLineItem";
  kind: "Service" | "Expense" | "Product";
  description: string;
  date: string;
  /** Quantity × 1000 (hours for services, units for expenses). */
  quantity_milli: number;
  price_cents: number;
  taxable: boolean;
  secondary_taxable: boolean;
  note: string | null;
  group_ordering: number;
}

export interface ActivityRec extends Stamp {
  type: "TimeEntry" | "ExpenseEntry" | "HardCostEntry" | "SoftCostEntry";
  date: string;
  /** Seconds for time entries, units × 1000 for expenses. */
  quantity: number;
  price_cents: number;
  matter_id: number | null;
  user_id: number;
  bill_id: number | null;
  note: string | null;
  non_billable: boolean;
  no_charge: boolean;
  flat_rate: boolean;
  reference: string | null;
  tax_setting: "no_tax" | "tax_1_only" | "tax_2_only" | "tax_1_and_tax_2";
}

export interface PaymentRec extends Stamp {
  date: string;
  amount_cents: number;
  description: string | null;
  reference: string | null;
  source_fund_type: "Client" | "Matter";
  contact_id: number;
  source_bank_account_id: number | null;
  destination_bank_account_id: number;
  voided_at: number | null;
}

export interface CreditMemoRec extends Stamp {
  date: string;
  amount_cents: number;
  description: string | null;
  discount: boolean;
  contact_id: number;
  voided_at: number | null;
}

export interface AllocationRec extends Stamp {
  date: string;
  amount_cents: number;
  interest: boolean;
  voided_at: number | null;
  description: string | null;
  parent_type: "Payment" | "CreditMemo";
  parent_id: number;
  bill_id: number | null;
  matter_id: number | null;
  contact_id: number;
  source_bank_account_id: number | null;
  destination_bank_account_id: number | null;
}

export interface BankAccountRec extends Stamp {
  type: "Operating" | "Trust";
  name: string;
  account_number: string | null;
  transit_number: string | null;
  institution: string | null;
  swift: string | null;
  holder: string | null;
  currency: string;
  opening_balance_cents: number;
  default_account: boolean;
  controlled_account: boolean;
  general_ledger_number: string | null;
}

export interface BankTransactionRec extends Stamp {
  bank_account_id: number;
  /** `asset` on operating accounts, `liability` on trust accounts (UNCONFIRMED, [S27]). */
  type: string;
  transaction_type: string;
  source: string;
  date: string;
  /** Signed: positive money in, negative money out. funds_in/funds_out are derived. */
  amount_cents: number;
  description: string | null;
  confirmation: string | null;
  client_id: number | null;
  matter_id: number | null;
  bill_id: number | null;
  allocation_id: number | null;
  payment_id: number | null;
  bank_transfer_id: number | null;
}

export interface BankTransferRec extends Stamp {
  amount_cents: number;
  date: number;
  description: string | null;
  /** The receiving client and matter. */
  client_id: number | null;
  matter_id: number | null;
  /** Emulator extension: the giving side of a matter-to-matter transfer. */
  from_client_id: number | null;
  from_matter_id: number | null;
  source_account_id: number;
  destination_account_id: number;
}

export interface WebhookRec extends Stamp {
  url: string;
  fields: string;
  shared_secret: string;
  model: string;
  status: "pending" | "enabled" | "suspended";
  events: string[];
  expires_at: number;
}

export interface UserRec extends Stamp {
  name: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface Tables {
  users: UserRec;
  contacts: ContactRec;
  matters: MatterRec;
  bills: BillRec;
  line_items: LineItemRec;
  activities: ActivityRec;
  payments: PaymentRec;
  credit_memos: CreditMemoRec;
  allocations: AllocationRec;
  bank_accounts: BankAccountRec;
  bank_transactions: BankTransactionRec;
  bank_transfers: BankTransferRec;
  webhooks: WebhookRec;
}

export type TableName = keyof Tables;
export const TABLE_NAMES: readonly TableName[] = [
  "users",
  "contacts",
  "matters",
  "bills",
  "line_items",
  "activities",
  "payments",
  "credit_memos",
  "allocations",
  "bank_accounts",
  "bank_transactions",
  "bank_transfers",
  "webhooks",
];

export interface OAuthApp {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OAuthToken {
  access_token: string;
  refresh_token: string;
  client_id: string;
  user_id: number;
  expires_at: number;
  revoked: boolean;
}
