import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioAllocationView, ClioBillView } from "../mapping/clio-billing-views.ts";
import type { ClioTrustTransactionView } from "../mapping/trust-journal.ts";
import { compareReconciliation, type LinkRef, type ReconcileInput } from "./reconcile-compare.ts";
import type { ReconcileItem, ReconcileReport } from "./reconcile-report.ts";

/**
 * The pure compare, case by case, on inputs written by hand. Every expected amount is worked out
 * here in cents (and written as the report writes decimals), never by calling the trust mapper:
 * the compare exists to catch the mapper's mistakes, so the tests must not share its arithmetic.
 */

/** Cents as the report writes them: "12.34", "-0.35". */
const text = (cents: number) =>
  `${cents < 0 ? "-" : ""}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, "0")}`;

const ACME = "101"; // Clio client, linked to QBO customer 7
const BETA = "102"; // Clio client, linked to QBO customer 8
const GAMMA = "103"; // Clio client with no QBO customer
const LIABILITY = "90";

function input(parts: Partial<ReconcileInput>): ReconcileInput {
  return {
    generatedAt: "2026-03-10T12:00:00.000Z",
    startDate: "2026-01-01",
    customerOfClient: new Map([
      [ACME, "7"],
      [BETA, "8"],
    ]),
    bills: [],
    invoiceLinks: new Map(),
    invoices: new Map(),
    allocations: [],
    paymentLinks: new Map(),
    payments: new Map(),
    trustTransactions: [],
    writtenTransferPairs: [],
    entryLinks: new Map(),
    keyOfEntry: new Map(),
    liabilityAccountIds: new Set([LIABILITY]),
    journalEntries: [],
    ...parts,
  };
}

const bill = (id: number, client: string, total: number, balance: number, more: Partial<ClioBillView> = {}) =>
  ({
    id,
    number: `B-${id}`,
    state: "awaiting_payment",
    kind: "revenue",
    issued_at: "2026-02-01",
    total,
    balance,
    client: { id: client, name: `Client ${client}` },
    ...more,
  }) as ClioBillView;
const linked = (qboId: string): LinkRef => ({ qboId, linked: true });
const invoice = (total: number, balance: number) => ({ TotalAmt: total, Balance: balance });
const allocation = (id: number, payment: number, billId: number, client: string, amount: number, more = {}) =>
  ({
    id,
    date: "2026-02-10",
    amount,
    bill: { id: billId },
    parent: { id: payment, type: "Payment" },
    contact: { id: Number(client) },
    ...more,
  }) as ClioAllocationView;
const tx = (id: number, client: string, fundsIn: number, fundsOut: number, more = {}) =>
  ({
    id,
    date: "2026-02-05",
    funds_in: fundsIn,
    funds_out: fundsOut,
    client: { id: client, name: `Client ${client}` },
    bank_account: { id: 5 },
    ...more,
  }) as ClioTrustTransactionView;
/** A journal entry's liability lines: [customer, "Credit" | "Debit", amount]; plus the bank line. */
const entry = (id: string, lines: Array<[string, "Credit" | "Debit", number]>) => ({
  Id: id,
  Line: [
    ...lines.map(([customer, posting, amount]) => ({
      Amount: amount,
      DetailType: "JournalEntryLineDetail",
      JournalEntryLineDetail: {
        PostingType: posting,
        AccountRef: { value: LIABILITY },
        Entity: { Type: "Customer", EntityRef: { value: customer } },
      },
    })),
    { Amount: 1, JournalEntryLineDetail: { PostingType: "Debit", AccountRef: { value: "91" } } },
  ],
});

const itemsOf = (r: ReconcileReport) =>
  r.items.map((i: ReconcileItem) => [i.area, i.clientId, i.clio, i.qbo, i.difference, i.reason]);

describe("reconciliation compare (pure)", () => {
  const cases: Array<{
    name: string;
    input: ReconcileInput;
    items: Array<[string, string, string, string, string, string]>;
    ok?: boolean;
    check?: (r: ReconcileReport) => void;
  }> = [
    {
      name: "a synced bill whose invoice agrees: no difference, totals per client",
      input: input({
        bills: [bill(1, ACME, 1250.5, 250.5)],
        invoiceLinks: new Map([["1", linked("31")]]),
        invoices: new Map([["31", invoice(1250.5, 250.5)]]),
      }),
      items: [],
      check: (r) => {
        assert.deepEqual(r.clients[0]?.invoices, {
          clio: text(125050),
          qbo: text(125050),
          difference: "0.00",
        });
        assert.equal(r.clients[0]?.customerId, "7");
        assert.equal(r.totals.receivables.clio, text(25050));
      },
    },
    {
      name: "the QBO invoice's balance differs: a receivables item, signed QBO minus Clio",
      input: input({
        bills: [bill(1, ACME, 100, 60.5)],
        invoiceLinks: new Map([["1", linked("31")]]),
        invoices: new Map([["31", invoice(100, 100)]]),
      }),
      items: [["receivables", ACME, text(6050), text(10000), text(10000 - 6050), "balance differs"]],
    },
    {
      name: "a bill never synced: its total and balance are missing in QBO",
      input: input({ bills: [bill(2, ACME, 80, 80)] }),
      items: [
        ["invoice", ACME, text(8000), "0.00", text(-8000), "bill not synced"],
        ["receivables", ACME, text(8000), "0.00", text(-8000), "bill not synced"],
      ],
    },
    {
      name: "an invoice deleted in QBO (broken link)",
      input: input({
        bills: [bill(3, ACME, 40, 0)],
        invoiceLinks: new Map([["3", { qboId: "33", linked: false }]]),
      }),
      items: [["invoice", ACME, text(4000), "0.00", text(-4000), "invoice deleted in QuickBooks"]],
    },
    {
      name: "bills that do not sync are not compared: a draft, one issued before the start date, a deleted one",
      input: input({
        bills: [
          bill(4, ACME, 10, 10, { state: "draft" }),
          bill(5, ACME, 10, 10, { issued_at: "2025-12-31" }),
          bill(6, ACME, 10, 10, { deleted: true }),
        ],
      }),
      items: [],
      check: (r) => assert.equal(r.clients.length, 0),
    },
    {
      name: "a Clio payment over two bills is one QBO payment of the sum; a voided allocation pays nothing",
      input: input({
        bills: [bill(1, ACME, 100, 69.75), bill(2, ACME, 50, 39.9)],
        invoiceLinks: new Map([
          ["1", linked("31")],
          ["2", linked("32")],
        ]),
        invoices: new Map([
          ["31", invoice(100, 69.75)],
          ["32", invoice(50, 39.9)],
        ]),
        allocations: [
          allocation(11, 70, 1, ACME, 30.25),
          allocation(12, 70, 2, ACME, 10.1),
          allocation(13, 70, 2, ACME, 99, { voided_at: "2026-02-11T00:00:00Z" }),
        ],
        paymentLinks: new Map([["70", linked("41")]]),
        payments: new Map([["41", { TotalAmt: 40 }]]),
      }),
      items: [["payment", ACME, text(3025 + 1010), text(4000), text(4000 - (3025 + 1010)), "amount differs"]],
    },
    {
      name: "trust: a deposit and a withdrawal posted as the liability's credit and debit agree",
      input: input({
        trustTransactions: [tx(21, ACME, 500, 0), tx(22, ACME, 0, 120)],
        entryLinks: new Map([
          ["tx:21", linked("61")],
          ["tx:22", linked("62")],
        ]),
        keyOfEntry: new Map([
          ["61", "tx:21"],
          ["62", "tx:22"],
        ]),
        journalEntries: [entry("61", [["7", "Credit", 500]]), entry("62", [["7", "Debit", 120]])],
      }),
      items: [],
      check: (r) =>
        assert.deepEqual(r.clients[0]?.trust, {
          clio: text(50000 - 12000),
          qbo: text(50000 - 12000),
          difference: "0.00",
        }),
    },
    {
      name: "trust: a withdrawal written with the wrong sign (a mapper mistake) is a difference of twice its amount",
      input: input({
        trustTransactions: [tx(22, ACME, 0, 120)],
        entryLinks: new Map([["tx:22", linked("62")]]),
        keyOfEntry: new Map([["62", "tx:22"]]),
        journalEntries: [entry("62", [["7", "Credit", 120]])],
      }),
      items: [["trust", ACME, text(-12000), text(12000), text(12000 - -12000), "journal entry differs"]],
    },
    {
      name: "trust: an entry lexbridge did not write, a movement not synced, a client without a customer",
      input: input({
        trustTransactions: [tx(23, ACME, 75, 0), tx(24, GAMMA, 10, 0)],
        journalEntries: [entry("63", [["8", "Credit", 15.5]])],
      }),
      items: [
        ["trust", ACME, text(7500), "0.00", text(-7500), "movement not synced"],
        ["trust", GAMMA, text(1000), "0.00", text(-1000), "client has no QuickBooks customer"],
        ["trust", BETA, "0.00", text(1550), text(1550), "entry not written by lexbridge"],
      ],
    },
    {
      name: "trust: a journal entry deleted in QBO",
      input: input({
        trustTransactions: [tx(25, ACME, 60, 0)],
        entryLinks: new Map([["tx:25", { qboId: "65", linked: false }]]),
      }),
      items: [["trust", ACME, text(6000), "0.00", text(-6000), "journal entry deleted in QuickBooks"]],
    },
    {
      name: "touched-only: only the scoped client is compared; a written transfer is keyed by its pair without the other leg",
      input: input({
        clients: new Set([ACME]),
        bills: [bill(1, BETA, 10, 10)],
        trustTransactions: [tx(26, ACME, 0, 200, { transaction_type: "Transfer" })],
        writtenTransferPairs: [{ from: "26", to: "27" }],
        entryLinks: new Map([["transfer:26-27", linked("66")]]),
        keyOfEntry: new Map([["66", "transfer:26-27"]]),
        journalEntries: [
          entry("66", [
            ["7", "Debit", 200],
            ["8", "Credit", 200],
          ]),
        ],
      }),
      items: [],
      check: (r) => {
        assert.equal(r.scope, "clients");
        assert.deepEqual(
          r.clients.map((c) => [c.clientId, c.trust.clio, c.trust.qbo]),
          [[ACME, text(-20000), text(-20000)]],
        );
      },
    },
    {
      name: "trust accounts: Clio's balance differs from the sum of its client ledgers; not an item, but not ok",
      input: input({
        trustTransactions: [tx(21, GAMMA, 300, 0)],
        trustAccounts: [{ id: "5", name: "IOLTA", balance: 350 }],
      }),
      items: [["trust", GAMMA, text(30000), "0.00", text(-30000), "client has no QuickBooks customer"]],
      ok: false,
      check: (r) =>
        assert.deepEqual(r.trustAccounts, [
          { clioAccountId: "5", name: "IOLTA", clioBalance: text(35000), clioClientSum: text(30000) },
        ]),
    },
    {
      name: "cut-over: movements before trustStartDate are compared, as one sum, with the client's opening entry",
      input: input({
        cutover: { date: "2026-01-01", mappedLiabilities: new Map() },
        trustTransactions: [
          tx(31, ACME, 1000, 0, { date: "2025-11-10" }),
          tx(32, ACME, 0, 120.5, { date: "2025-12-20" }),
          tx(33, ACME, 400, 0, { date: "2026-01-01" }),
        ],
        entryLinks: new Map([
          ["opening:5-101", linked("70")],
          ["tx:33", linked("71")],
        ]),
        keyOfEntry: new Map([
          ["70", "opening:5-101"],
          ["71", "tx:33"],
        ]),
        journalEntries: [entry("70", [["7", "Credit", 879.5]]), entry("71", [["7", "Credit", 400]])],
      }),
      items: [],
    },
    {
      name: "cut-over: an opening entry that differs is one item on the opening key",
      input: input({
        cutover: { date: "2026-01-01", mappedLiabilities: new Map() },
        trustTransactions: [tx(31, ACME, 1000, 0, { date: "2025-11-10" })],
        entryLinks: new Map([["opening:5-101", linked("70")]]),
        keyOfEntry: new Map([["70", "opening:5-101"]]),
        journalEntries: [entry("70", [["7", "Credit", 900]])],
      }),
      items: [["trust", ACME, text(100000), text(90000), text(-10000), "journal entry differs"]],
    },
    {
      name: "cut-over, mapped account: the history QuickBooks held before the date stands for the opening balance",
      input: input({
        cutover: { date: "2026-01-01", mappedLiabilities: new Map([[LIABILITY, "5"]]) },
        trustTransactions: [
          tx(31, ACME, 1000, 0, { date: "2025-11-10" }),
          tx(32, ACME, 250, 0, { date: "2025-12-20" }),
        ],
        journalEntries: [
          { ...entry("60", [["7", "Credit", 1000]]), TxnDate: "2025-11-10" },
          { ...entry("61", [["7", "Credit", 250]]), TxnDate: "2025-12-20" },
        ],
      }),
      items: [],
    },
    {
      name: "cut-over, mapped account, clients compare: history is read by the full compare only, left out here",
      input: input({
        clients: new Set([ACME]),
        cutover: { date: "2026-01-01", mappedLiabilities: new Map([[LIABILITY, "5"]]) },
        trustTransactions: [tx(31, ACME, 1000, 0, { date: "2025-11-10" })],
      }),
      items: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const report = compareReconciliation(c.input);
      assert.deepEqual(itemsOf(report), c.items);
      assert.equal(report.ok, c.ok ?? c.items.length === 0);
      c.check?.(report);
    });
  }
});
