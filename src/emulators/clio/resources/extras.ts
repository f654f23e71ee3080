import type { Hono } from "hono";
import { accountOf } from "../domain/accounts.ts";
import { billState, billTotals, ledgerBalances } from "../domain/ledger.ts";
import { assoc, defineResource, scalar } from "../fields.ts";
import { idParam } from "../filters.ts";
import type { ApiEnv } from "../http.ts";
import { fromCents } from "../money.ts";
import { listResponse } from "../paging.ts";
import type { BillRec, ContactRec } from "../records.ts";
import type { ClioState } from "../state.ts";
import { currencyOf } from "./specs-contacts.ts";

/**
 * Read-only helpers of the billing area (clio-api.md §5.0, §5.7): currencies, outstanding client
 * balances (no updated_since), billable clients (limit 1..25, amount_in_trust), the billing
 * settings object, and the Clio Payments list (online payments only — always empty here, since the
 * emulator records manual payments).
 */
interface Outstanding {
  contact: ContactRec;
  bills: BillRec[];
  state: ClioState;
}

defineResource<Outstanding>({
  name: "outstanding_client_balance",
  fields: {
    id: scalar((o) => o.contact.id),
    etag: scalar((o) => o.contact.etag),
    contact: assoc("contact", (o) => o.contact),
    total_outstanding_balance: scalar((o) =>
      fromCents(o.bills.reduce((s, b) => s + billTotals(o.state, b).balance, 0)),
    ),
    total_outstanding_balance_by_currency: scalar((o) => [
      { currency: "USD", total: fromCents(o.bills.reduce((s, b) => s + billTotals(o.state, b).balance, 0)) },
    ]),
    last_payment_date: scalar((o) => {
      const dates = o.bills.map((b) => billTotals(o.state, b).paid_at).filter((d) => d !== null);
      return dates.sort().at(-1) ?? null;
    }),
    pending_payments_total: scalar(() => 0),
    associated_matter_ids: scalar((o) =>
      [...new Set(o.bills.flatMap((b) => b.matter_ids))].sort((a, b) => a - b),
    ),
    outstanding_bills: assoc("bill", (o) => o.bills),
  },
});

interface Billable {
  contact: ContactRec;
  state: ClioState;
}

defineResource<Billable>({
  name: "billable_client",
  fields: {
    id: scalar((b) => b.contact.id),
    name: scalar((b) => b.contact.name),
    amount_in_trust: scalar((b) => {
      const trust = accountOf(b.state, "Trust");
      return fromCents(
        ledgerBalances(b.state, "client", b.contact.id).find((x) => x.account_id === trust.id)?.balance ?? 0,
      );
    }),
    billable_matters_count: scalar(
      (b) => b.state.index("matters", "client", (m) => m.client_id).get(b.contact.id)?.length ?? 0,
    ),
  },
});

defineResource<{ id: number; code: string; sign: string }>({
  name: "currency_row",
  fields: {
    id: scalar((c) => c.id),
    etag: scalar(() => null),
    code: scalar((c) => c.code),
    sign: scalar((c) => c.sign),
  },
});

defineResource<{ id: number }>({
  name: "clio_payments_payment",
  fields: {
    id: scalar((p) => p.id),
    etag: scalar(() => null),
    amount: scalar(() => 0),
    state: scalar(() => "completed"),
  },
});

export function registerExtras(api: Hono<ApiEnv>): void {
  api.get("/currencies", (c) =>
    listResponse(
      c,
      { resource: "currency_row", defaultOrder: "id(asc)", orders: { id: (r) => r.id } },
      ["USD", "CAD", "EUR", "GBP", "AUD"].map(currencyOf),
    ),
  );
  api.get("/outstanding_client_balances", (c) => {
    const state = c.get("state");
    const contactId = idParam(c, "contact_id");
    const byClient = new Map<number, BillRec[]>();
    for (const b of state.all("bills")) {
      if (b.kind === "trust_kind" || billState(state, b) !== "awaiting_payment") continue;
      if (contactId !== undefined && b.client_id !== contactId) continue;
      byClient.set(b.client_id, [...(byClient.get(b.client_id) ?? []), b]);
    }
    const rows: Array<Outstanding & { id: number }> = [...byClient.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, bills]) => ({ id, contact: state.get("contacts", id)!, bills, state }));
    return listResponse(
      c,
      { resource: "outstanding_client_balance", defaultOrder: "id(asc)", orders: { id: (r) => r.id } },
      rows,
    );
  });
  api.get("/billable_clients", (c) => {
    const state = c.get("state");
    const rows = [...state.index("matters", "client", (m) => m.client_id).keys()]
      .sort((a, b) => a - b)
      .map((id) => ({ id, contact: state.get("contacts", id)!, state }))
      .filter((r) => r.contact);
    return listResponse(
      c,
      { resource: "billable_client", defaultOrder: "id(asc)", orders: { id: (r) => r.id }, maxLimit: 25 },
      rows,
    );
  });
  api.get("/clio_payments/payments", (c) =>
    listResponse(
      c,
      { resource: "clio_payments_payment", defaultOrder: "id(asc)", orders: { id: (r) => r.id } },
      [] as Array<{ id: number }>,
    ),
  );
  api.get("/settings/billing", (c) =>
    c.json({
      data: {
        id: 1,
        etag: '"00000000000000000000000000000001"',
        currency: currencyOf("USD"),
        use_grace_period: false,
      },
    }),
  );
}
