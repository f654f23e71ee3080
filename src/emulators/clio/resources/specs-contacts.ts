import { ledgerBalances } from "../domain/ledger.ts";
import { assoc, defineResource, scalar } from "../fields.ts";
import { iso } from "../http.ts";
import { fromCents } from "../money.ts";
import type { AddressRec, ContactRec, EmailRec, MatterRec, PhoneRec, UserRec } from "../records.ts";
import type { ClioState } from "../state.ts";

/** Field specs of contacts, their nested collections, matters and users (clio-api.md §5.1, §5.2). */
const stamp = <R extends { id: number; etag: string; created_at: number; updated_at: number }>() => ({
  id: scalar<R>((r) => r.id),
  etag: scalar<R>((r) => r.etag),
  created_at: scalar<R>((r) => iso(r.created_at)),
  updated_at: scalar<R>((r) => iso(r.updated_at)),
});

defineResource<EmailRec>({
  name: "email_address",
  fields: {
    ...stamp<EmailRec>(),
    address: scalar((r) => r.address),
    name: scalar((r) => r.name),
    primary: scalar((r) => r.primary),
  },
});

defineResource<PhoneRec>({
  name: "phone_number",
  fields: {
    ...stamp<PhoneRec>(),
    number: scalar((r) => r.number),
    name: scalar((r) => r.name),
    primary: scalar((r) => r.primary),
  },
});

defineResource<AddressRec>({
  name: "address",
  fields: {
    ...stamp<AddressRec>(),
    street: scalar((r) => r.street),
    city: scalar((r) => r.city),
    province: scalar((r) => r.province),
    postal_code: scalar((r) => r.postal_code),
    country: scalar((r) => r.country),
    name: scalar((r) => r.name),
    primary: scalar((r) => r.primary),
  },
});

interface Balance {
  id: number;
  balance: number;
  type: string;
  name: string;
  currency_id: number;
}

defineResource<Balance>({
  name: "account_balance",
  defaults: ["id", "balance", "type", "name", "currency_id"],
  fields: {
    id: scalar((r) => r.id),
    balance: scalar((r) => r.balance),
    type: scalar((r) => r.type),
    name: scalar((r) => r.name),
    currency_id: scalar((r) => r.currency_id),
  },
});

interface Currency {
  id: number;
  code: string;
  sign: string;
}
defineResource<Currency>({
  name: "currency",
  fields: {
    id: scalar((r) => r.id),
    code: scalar((r) => r.code),
    sign: scalar((r) => r.sign),
    etag: scalar(() => null),
  },
});

const CURRENCIES: Record<string, Currency> = {
  USD: { id: 1, code: "USD", sign: "$" },
  CAD: { id: 2, code: "CAD", sign: "$" },
  EUR: { id: 3, code: "EUR", sign: "€" },
  GBP: { id: 4, code: "GBP", sign: "£" },
  AUD: { id: 5, code: "AUD", sign: "$" },
};
export function currencyOf(code: string): Currency {
  return CURRENCIES[code] ?? { id: 99, code, sign: "" };
}

export function accountBalances(state: ClioState, by: "client" | "matter", id: number): Balance[] {
  return ledgerBalances(state, by, id).map(({ account_id, balance }) => {
    const account = state.get("bank_accounts", account_id);
    return {
      id: account_id,
      balance: fromCents(balance),
      type: account?.type ?? "Trust",
      name: account?.name ?? "",
      currency_id: currencyOf(account?.currency ?? "USD").id,
    };
  });
}

const isClient = (state: ClioState, id: number) =>
  (state.index("matters", "client", (m) => m.client_id).get(id)?.length ?? 0) > 0;

defineResource<ContactRec>({
  name: "contact",
  fields: {
    ...stamp<ContactRec>(),
    type: scalar((r) => r.type),
    name: scalar((r) => r.name),
    first_name: scalar((r) => r.first_name),
    middle_name: scalar((r) => r.middle_name),
    last_name: scalar((r) => r.last_name),
    prefix: scalar((r) => r.prefix),
    title: scalar((r) => r.title),
    initials: scalar((r) =>
      (r.type === "Person" ? [r.first_name, r.last_name] : [r.name]).map((p) => p?.trim()[0] ?? "").join(""),
    ),
    date_of_birth: scalar((r) => r.date_of_birth),
    company: assoc("contact", (r, ctx) =>
      r.company_id === null ? null : ctx.state.get("contacts", r.company_id),
    ),
    primary_email_address: scalar((r) => r.email_addresses.find((e) => e.primary)?.address ?? null),
    secondary_email_address: scalar((r) => r.email_addresses.find((e) => !e.primary)?.address ?? null),
    primary_phone_number: scalar((r) => r.phone_numbers.find((e) => e.primary)?.number ?? null),
    secondary_phone_number: scalar((r) => r.phone_numbers.find((e) => !e.primary)?.number ?? null),
    primary_address: assoc("address", (r) => r.addresses.find((a) => a.primary) ?? null),
    secondary_address: assoc("address", (r) => r.addresses.find((a) => !a.primary) ?? null),
    primary_work_address: assoc("address", (r) => r.addresses.find((a) => a.name === "Work") ?? null),
    clio_connect_email: scalar((r) => r.clio_connect_email),
    locked_clio_connect_email: scalar(() => false),
    is_client: scalar((r, ctx) => isClient(ctx.state, r.id)),
    is_co_counsel: scalar(() => false),
    is_bill_recipient: scalar(() => false),
    sales_tax_number: scalar((r) => r.sales_tax_number),
    ledes_client_id: scalar((r) => r.ledes_client_id),
    currency: assoc("currency", () => currencyOf("USD")),
    email_addresses: assoc("email_address", (r) => r.email_addresses),
    phone_numbers: assoc("phone_number", (r) => r.phone_numbers),
    addresses: assoc("address", (r) => r.addresses),
    web_sites: scalar(() => []),
    instant_messengers: scalar(() => []),
    custom_field_values: scalar(() => []),
    account_balances: assoc("account_balance", (r, ctx) => accountBalances(ctx.state, "client", r.id)),
  },
});

defineResource<MatterRec>({
  name: "matter",
  fields: {
    ...stamp<MatterRec>(),
    number: scalar((r) => r.number),
    display_number: scalar((r) => r.display_number),
    custom_number: scalar((r) => r.custom_number),
    description: scalar((r) => r.description),
    status: scalar((r) => r.status),
    client_id: scalar((r) => r.client_id),
    client: assoc("contact", (r, ctx) => ctx.state.get("contacts", r.client_id) ?? null),
    client_reference: scalar((r) => r.client_reference),
    location: scalar((r) => r.location),
    billable: scalar((r) => r.billable),
    billing_method: scalar((r) => r.billing_method),
    open_date: scalar((r) => r.open_date),
    pending_date: scalar((r) => r.pending_date),
    close_date: scalar((r) => r.close_date),
    currency: assoc("currency", () => currencyOf("USD")),
    custom_field_values: scalar(() => []),
    account_balances: assoc("account_balance", (r, ctx) => accountBalances(ctx.state, "matter", r.id)),
  },
});

defineResource<UserRec>({
  name: "user",
  fields: {
    ...stamp<UserRec>(),
    name: scalar((r) => r.name),
    first_name: scalar((r) => r.first_name),
    last_name: scalar((r) => r.last_name),
    email: scalar((r) => r.email),
    account: assoc("account", (_r, ctx) => ({ id: 1, name: ctx.state.firmName })),
  },
});

/** The firm a user belongs to (clio-api.md: User → Account). One per emulator. */
defineResource<{ id: number; name: string }>({
  name: "account",
  fields: {
    id: scalar((r) => r.id),
    name: scalar((r) => r.name),
    etag: scalar(() => null),
  },
});
