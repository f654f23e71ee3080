import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cents, formatMoney, toDecimalNumber } from "../core/money.ts";
import { toCreditApplication, toQboCreditMemo, toQboPayment } from "./allocation-payment.ts";
import { expectedInvoiceTotal, toQboInvoice } from "./bill-invoice.ts";
import type { ClioBillView, ClioLineItemView } from "./clio-billing-views.ts";

const items = { services: "1", expenses: "2", tax: "3", interest: "4", adjustment: "5" };
const ctx = { customerId: "58", items };

const bill: ClioBillView = {
  id: 3101,
  number: "INV-0042",
  state: "awaiting_payment",
  kind: "revenue_kind",
  issued_at: "2025-04-30",
  due_at: "2025-05-30",
  sub_total: 1200,
  tax_sum: 156,
  secondary_tax_sum: 0,
  total: 1296,
  interest: { total: 0 },
  discount: { rate: 5, type: "percentage" },
  matters: [{ id: 77, display_number: "00077-Example" }],
};
const lines: ClioLineItemView[] = [
  {
    id: 2,
    kind: "Expense",
    description: "Filing fee",
    quantity: 1,
    price: 200,
    total: 200,
    date: "2025-04-01",
  },
  {
    id: 1,
    kind: "Service",
    description: "Research",
    quantity: 4,
    price: 250,
    total: 1000,
    date: "2025-04-02",
  },
];

describe("bill → invoice", () => {
  it("maps number, dates, customer, one line per item, tax and discount lines, and the private note", () => {
    const { value, notes } = toQboInvoice(bill, lines, ctx);
    assert.deepEqual(notes, []);
    assert.equal(value?.DocNumber, "INV-0042");
    assert.equal(value?.TxnDate, "2025-04-30");
    assert.equal(value?.DueDate, "2025-05-30");
    assert.deepEqual(value?.CustomerRef, { value: "58" });
    assert.equal(value?.PrivateNote, "Clio bill 3101; matter 00077-Example");
    const qboLines = value?.Line as Array<Record<string, unknown>>;
    assert.deepEqual(
      qboLines.map((l) => [
        l.DetailType,
        l.Amount,
        (l.SalesItemLineDetail as { ItemRef?: { value: string } })?.ItemRef?.value,
      ]),
      [
        ["SalesItemLineDetail", 1000, "1"],
        ["SalesItemLineDetail", 200, "2"],
        ["SalesItemLineDetail", 156, "3"],
        ["DiscountLineDetail", 60, undefined],
      ],
    );
    assert.deepEqual((qboLines[0]!.SalesItemLineDetail as Record<string, unknown>).Qty, 4);
    assert.equal(expectedInvoiceTotal(value!), "1296.00");
  });

  it("never sends a Qty × UnitPrice that does not equal the amount (QBO 6070)", () => {
    const odd: ClioLineItemView = {
      id: 9,
      kind: "Service",
      description: "Call",
      quantity: 0.33,
      price: 275.5,
      total: 90.92,
    };
    const { value } = toQboInvoice({ ...bill, total: 90.92, tax_sum: 0, discount: null }, [odd], ctx);
    const line = (value!.Line as Array<Record<string, unknown>>)[0]!;
    assert.equal(line.Amount, 90.92);
    assert.equal((line.SalesItemLineDetail as Record<string, unknown>).Qty, undefined);
    assert.match(String(line.Description), /0\.33 × 275\.5/);
  });

  it("adds interest and an adjustment line when Clio's total is higher than its parts", () => {
    const { value } = toQboInvoice(
      { ...bill, tax_sum: 0, interest: { total: 12.5 }, total: 1212.51, discount: null },
      lines,
      ctx,
    );
    assert.equal(expectedInvoiceTotal(value!), "1212.51");
    const last = (value!.Line as Array<Record<string, unknown>>).at(-1)!;
    assert.equal(last.Amount, 0.01);
  });

  it("refuses a bill number QBO cannot hold, and bad money, as errors with codes", () => {
    const long = toQboInvoice({ ...bill, number: "X".repeat(22) }, lines, ctx);
    assert.equal(long.value, undefined);
    assert.equal(long.notes[0]?.code, "sync_doc_number_too_long");
    const bad = toQboInvoice({ ...bill, total: 1.234 }, lines, ctx);
    assert.equal(bad.notes[0]?.code, "money_invalid");
    // Clio's schema lets both be null: an error with a code, never a crash.
    const noNumber = toQboInvoice({ ...bill, number: null }, lines, ctx);
    assert.deepEqual([noNumber.value, noNumber.notes[0]?.code], [undefined, "bill_number_missing"]);
    const noTotal = toQboInvoice({ ...bill, total: null }, lines, ctx);
    assert.deepEqual([noTotal.value, noTotal.notes[0]?.code], [undefined, "money_invalid"]);
  });

  it("property: the invoice total equals the Clio total to the cent", () => {
    const money = fc.integer({ min: 0, max: 10_000_00 }).map((n) => toDecimalNumber(cents(n)));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ total: money, quantity: fc.double({ min: 0.1, max: 20, noNaN: true }), price: money }),
          {
            maxLength: 8,
          },
        ),
        money,
        money,
        fc.integer({ min: 0, max: 1_000_000 }),
        (ls, tax, interest, totalCents) => {
          const clioLines = ls.map((l, i) => ({ id: i + 1, kind: "Service", ...l }));
          const total = toDecimalNumber(cents(totalCents));
          const r = toQboInvoice(
            { ...bill, tax_sum: tax, interest: { total: interest }, total },
            clioLines,
            ctx,
          );
          assert.equal(expectedInvoiceTotal(r.value!), formatMoney(cents(totalCents)));
        },
      ),
    );
  });
});

describe("allocations → payment and credit memo", () => {
  const invoiceIdByBill = new Map([
    ["10", "1050"],
    ["11", "1051"],
  ]);

  it("makes one payment with one line per invoice, leaving out voided and unsynced allocations", () => {
    const { value, notes } = toQboPayment(
      "44",
      [
        { id: 1, date: "2025-05-02", amount: 100.1, bill: { id: 10 } },
        { id: 2, date: "2025-05-01", amount: 0.2, bill: { id: 11 } },
        { id: 3, date: "2025-05-01", amount: 5, bill: { id: 11 }, voided_at: "2025-05-03T00:00:00Z" },
        { id: 4, date: "2025-05-01", amount: 7, bill: { id: 99 } },
      ],
      { customerId: "58", invoiceIdByBill, depositAccountId: "4" },
    );
    assert.deepEqual(value, {
      CustomerRef: { value: "58" },
      TxnDate: "2025-05-01",
      TotalAmt: 100.3,
      Line: [
        { Amount: 100.1, LinkedTxn: [{ TxnId: "1050", TxnType: "Invoice" }] },
        { Amount: 0.2, LinkedTxn: [{ TxnId: "1051", TxnType: "Invoice" }] },
      ],
      PrivateNote: "Clio payment 44",
      DepositToAccountRef: { value: "4" },
    });
    assert.equal(notes[0]?.code, "allocation_bill_not_synced");
  });

  it("has nothing to write when every allocation is voided", () => {
    const r = toQboPayment(
      "45",
      [{ id: 1, date: "2025-05-01", amount: 5, bill: { id: 10 }, voided_at: "x" }],
      {
        customerId: "58",
        invoiceIdByBill,
      },
    );
    assert.equal(r.value, undefined);
  });

  it("credits the applied amount and links it with a zero-total payment", () => {
    const { value } = toQboCreditMemo(
      { id: 7, date: "2025-06-01", amount: 50, description: "Write-off" },
      [
        { id: 1, date: "2025-06-01", amount: 30, bill: { id: 10 } },
        { id: 2, date: "2025-06-01", amount: 20, bill: { id: 11 } },
      ],
      { customerId: "58", invoiceIdByBill, creditItemId: "6" },
    );
    assert.equal((value!.creditMemo.Line as Array<{ Amount: number }>)[0]?.Amount, 50);
    const application = toCreditApplication("58", "3003", "2025-06-01", value!.applications, "7");
    assert.equal(application.TotalAmt, 0);
    assert.deepEqual(application.Line, [
      { Amount: 30, LinkedTxn: [{ TxnId: "1050", TxnType: "Invoice" }] },
      { Amount: 20, LinkedTxn: [{ TxnId: "1051", TxnType: "Invoice" }] },
      { Amount: 50, LinkedTxn: [{ TxnId: "3003", TxnType: "CreditMemo" }] },
    ]);
  });
});
