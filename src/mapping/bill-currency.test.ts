/** A bill's currency → the invoice's CurrencyRef and ExchangeRate, or the item that stops it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type BillCurrencyFacts, currencyFields } from "./bill-currency.ts";
import type { ClioBillView } from "./clio-billing-views.ts";

const bill = (code?: string): ClioBillView => ({ id: 1, ...(code ? { currency: { code } } : {}) });
const off = { homeCurrency: "CAD", multiCurrency: false };
const on = { homeCurrency: "CAD", multiCurrency: true };

describe("bill currency", () => {
  const cases: Array<[string, ClioBillView, typeof on, BillCurrencyFacts, unknown]> = [
    ["no currency on the bill: nothing to add", bill(), off, {}, { fields: {} }],
    ["the home currency: nothing to add", bill("CAD"), off, {}, { fields: {} }],
    [
      "another currency, multicurrency off",
      bill("USD"),
      off,
      {},
      "the bill is in USD, the QuickBooks company keeps its books in CAD and multicurrency is off",
    ],
    [
      "another currency, customer in the home currency",
      bill("USD"),
      on,
      { rate: 1.37 },
      "the bill is in USD but the client's QuickBooks customer is in CAD",
    ],
    [
      "no rate in QuickBooks",
      bill("USD"),
      on,
      { customerCurrency: "USD" },
      "QuickBooks has no exchange rate for USD",
    ],
    [
      "customer and rate in the bill's currency",
      bill("USD"),
      on,
      { customerCurrency: "USD", rate: 1.37 },
      { fields: { CurrencyRef: { value: "USD" }, ExchangeRate: 1.37 } },
    ],
  ];
  for (const [name, b, company, facts, expected] of cases) {
    it(name, () => {
      const got = currencyFields(b, company, facts);
      if (typeof expected === "string") {
        assert.ok("note" in got);
        assert.equal(got.note.code, "sync_currency_mismatch");
        assert.equal(got.note.message, expected);
      } else assert.deepEqual(got, expected);
    });
  }
});
