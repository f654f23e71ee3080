/** Clio tax → QBO tax codes, per company model, as tables (docs/accounting.md "Tax per region"). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cents } from "../core/money.ts";
import { toQboCreditMemo } from "./allocation-payment.ts";
import { expectedInvoiceTotal, toQboInvoice } from "./bill-invoice.ts";
import type { ClioBillView, ClioLineItemView } from "./clio-billing-views.ts";
import { type CompanyTax, chooseCode, lineTax, milliPercent, type TaxCodeSetting } from "./company-tax.ts";

const items = { services: "1", expenses: "2", tax: "3", interest: "4", adjustment: "5" };

const canada: CompanyTax = {
  model: "global",
  homeCurrency: "CAD",
  multiCurrency: false,
  codes: [
    { id: "10", name: "GST", rates: [5000] },
    { id: "11", name: "HST ON", rates: [13000] },
    { id: "12", name: "GST/QST QC", rates: [5000, 9975] },
    { id: "13", name: "Zero-rated", rates: [0] },
    { id: "14", name: "Exempt", rates: [] },
    { id: "15", name: "Out of scope", rates: [] },
  ],
};
const ast: CompanyTax = {
  model: "ast",
  homeCurrency: "USD",
  multiCurrency: false,
  codes: [{ id: "7", name: "Springfield, IL", rates: [6250, 1000, 1750] }],
  astCodeId: "7",
};

const bill = (over: Partial<ClioBillView> = {}): ClioBillView => ({
  id: 3101,
  number: "INV-7",
  state: "awaiting_payment",
  kind: "revenue_kind",
  issued_at: "2026-04-30",
  total: 1200,
  tax_sum: 0,
  secondary_tax_sum: 0,
  ...over,
});
const service = (id: number, total: number, over: Partial<ClioLineItemView> = {}): ClioLineItemView => ({
  id,
  kind: "Service",
  description: "Research",
  total,
  ...over,
});

type Detail = { TaxCodeRef?: { value: string } } | undefined;
type Lines = Array<{
  DetailType: string;
  Amount: number;
  SalesItemLineDetail?: Detail;
  DiscountLineDetail?: Detail;
}>;
const codesOf = (body: Record<string, unknown> | undefined) =>
  (body!.Line as Lines).map((l) => [
    l.DetailType,
    l.Amount,
    l.SalesItemLineDetail?.TaxCodeRef?.value ?? l.DiscountLineDetail?.TaxCodeRef?.value,
  ]);

describe("Clio rate → QBO tax code", () => {
  const setting: TaxCodeSetting = { "0": "Exempt", "8": "11" };
  const cases: Array<[string, number, TaxCodeSetting, unknown]> = [
    ["one code fits 5 %", 5000, {}, { id: "10" }],
    ["one two-rate code fits 5 + 9.975 %", 14975, {}, { id: "12" }],
    [
      "0 % fits three codes: the setting must choose",
      0,
      {},
      { missing: "a tax code for 0%", candidates: ["Zero-rated", "Exempt", "Out of scope"] },
    ],
    ["the setting names the 0 % code by name", 0, setting, { id: "14" }],
    ["the setting names a code by id for a rate no code has", 8000, setting, { id: "11" }],
    ["no code and no setting", 7000, {}, { missing: "a tax code for 7%", candidates: [] }],
    [
      "a setting naming an unknown code",
      0,
      { "0": "Nope" },
      { missing: 'the code "Nope" set for 0%', candidates: [] },
    ],
  ];
  for (const [name, milli, s, expected] of cases)
    it(name, () => assert.deepEqual(chooseCode(canada, milli, s), expected));

  it("reads rates as thousandths of a percent and rounds line tax half-up per rate", () => {
    assert.equal(milliPercent("9.975"), 9975);
    assert.equal(milliPercent(13), 13000);
    assert.equal(milliPercent(null), 0);
    assert.equal(milliPercent("1.23456"), undefined);
    assert.equal(lineTax(cents(449516), canada.codes[2]!), 22476 + 44839);
    assert.equal(lineTax(cents(1003), canada.codes[1]!), 130);
    assert.equal(lineTax(cents(25), { id: "x", name: "x", rates: [10000] }), 3);
  });
});

describe("bill → invoice with tax", () => {
  const ca = { company: canada, setting: { "0": "Exempt" } };
  const cases: Array<{
    name: string;
    bill: Partial<ClioBillView>;
    lines: ClioLineItemView[];
    tax?: { company: CompanyTax; setting: TaxCodeSetting };
    lineCodes: unknown[];
    extra?: Record<string, unknown>;
  }> = [
    {
      name: "CA, two taxes (GST + QST) and an untaxed expense: each line its code, no tax line",
      bill: { tax_rate: 5, secondary_tax_rate: 9.975, tax_sum: 50, secondary_tax_sum: 99.75, total: 1349.75 },
      lines: [
        service(1, 1000, { taxable: true, secondary_taxable: true }),
        service(2, 200, { kind: "Expense" }),
      ],
      tax: ca,
      lineCodes: [
        ["SalesItemLineDetail", 1000, "12"],
        ["SalesItemLineDetail", 200, "14"],
      ],
      extra: { GlobalTaxCalculation: "TaxExcluded" },
    },
    {
      name: "CA, a discount (Clio taxes before it): an untaxed discount line",
      bill: { tax_rate: 13, tax_sum: 130, total: 1210, discount: { rate: 10, type: "percentage" } },
      lines: [service(1, 1000, { taxable: true }), service(2, 200)],
      tax: ca,
      lineCodes: [
        ["SalesItemLineDetail", 1000, "11"],
        ["SalesItemLineDetail", 200, "14"],
        ["DiscountLineDetail", 120, "14"],
      ],
    },
    {
      name: "CA, QBO's per-line rounding is a cent under Clio's: an untaxed adjustment line",
      bill: { tax_rate: 13, tax_sum: 3.91, total: 34 },
      lines: [1, 2, 3].map((id) => service(id, 10.03, { taxable: true })),
      tax: ca,
      lineCodes: [
        ["SalesItemLineDetail", 10.03, "11"],
        ["SalesItemLineDetail", 10.03, "11"],
        ["SalesItemLineDetail", 10.03, "11"],
        ["SalesItemLineDetail", 0.01, "14"],
      ],
    },
    {
      name: "US AST: TAX/NON lines and Clio's tax as the override",
      bill: { tax_rate: 8.875, tax_sum: 88.75, total: 1288.75 },
      lines: [service(1, 1000, { taxable: true }), service(2, 200)],
      tax: { company: ast, setting: {} },
      lineCodes: [
        ["SalesItemLineDetail", 1000, "TAX"],
        ["SalesItemLineDetail", 200, "NON"],
      ],
      extra: { TxnTaxDetail: { TxnTaxCodeRef: { value: "7" }, TotalTax: 88.75 } },
    },
    {
      name: "US AST without Clio tax: every line NON, no override",
      bill: { total: 1200 },
      lines: [service(1, 1200)],
      tax: { company: ast, setting: {} },
      lineCodes: [["SalesItemLineDetail", 1200, "NON"]],
      extra: { TxnTaxDetail: undefined },
    },
    {
      name: "US without sales tax: Clio's tax stays an item line (unchanged)",
      bill: { tax_rate: 10, tax_sum: 100, total: 1100 },
      lines: [service(1, 1000, { taxable: true })],
      lineCodes: [
        ["SalesItemLineDetail", 1000, undefined],
        ["SalesItemLineDetail", 100, undefined],
      ],
      extra: { GlobalTaxCalculation: undefined, TxnTaxDetail: undefined },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const b = bill(c.bill);
      const { value, notes } = toQboInvoice(b, c.lines, {
        customerId: "58",
        items,
        ...(c.tax ? { tax: c.tax } : {}),
      });
      assert.deepEqual(notes, []);
      assert.deepEqual(codesOf(value), c.lineCodes);
      for (const [k, v] of Object.entries(c.extra ?? {})) assert.deepEqual(value?.[k], v, k);
      // QBO's total, its rounding included, is Clio's to the cent.
      assert.equal(expectedInvoiceTotal(value!, c.tax?.company.codes), b.total!.toFixed(2));
    });
  }

  it("a rate no code answers is a sync_tax_code_missing note naming it, once", () => {
    const { value, notes } = toQboInvoice(
      bill({ tax_rate: 8, tax_sum: 16, total: 216 }),
      [service(1, 100, { taxable: true }), service(2, 100, { taxable: true })],
      { customerId: "58", items, tax: ca },
    );
    assert.equal(value, undefined);
    assert.deepEqual(
      notes.map((n) => [n.code, n.message]),
      [["sync_tax_code_missing", "QuickBooks has no single tax code for this rate: a tax code for 8%"]],
    );
  });

  it("untaxed lines without a 0 % setting: the note lists the codes that fit", () => {
    const { notes } = toQboInvoice(bill(), [service(1, 1200)], {
      customerId: "58",
      items,
      tax: { company: canada, setting: {} },
    });
    assert.match(notes[0]!.message, /a tax code for 0% \(Zero-rated, Exempt, Out of scope fit; choose one\)/);
  });
});

describe("credit memo with tax", () => {
  const allocations = [{ id: 1, date: "2026-06-01", amount: 30, bill: { id: 10 } }];
  const memo = { id: 7, date: "2026-06-01", amount: 30 };
  const base = { customerId: "58", invoiceIdByBill: new Map([["10", "1050"]]), creditItemId: "6" };
  it("is untaxed: the 0 % code in a global company, NON under AST", () => {
    const ca = toQboCreditMemo(memo, allocations, {
      ...base,
      tax: { company: canada, setting: { "0": "Out of scope" } },
    });
    assert.equal(ca.value!.creditMemo.GlobalTaxCalculation, "TaxExcluded");
    assert.deepEqual(codesOf(ca.value!.creditMemo), [["SalesItemLineDetail", 30, "15"]]);
    const us = toQboCreditMemo(memo, allocations, { ...base, tax: { company: ast, setting: {} } });
    assert.deepEqual(codesOf(us.value!.creditMemo), [["SalesItemLineDetail", 30, "NON"]]);
    const missing = toQboCreditMemo(memo, allocations, { ...base, tax: { company: canada, setting: {} } });
    assert.equal(missing.notes[0]!.code, "sync_tax_code_missing");
  });
});
