import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioAllocationView } from "../../mapping/clio-billing-views.ts";
import type { SyncIssue } from "../../store/port.ts";
import { linkFixture as link } from "../../testing/store-fixtures.ts";
import { type InactiveRefs, inactiveRefsOf } from "./inactive-refs.ts";
import { type ParentToPlan, type PaymentPlan, planPaymentChanges } from "./payments.ts";

/** The payment and credit memo planner as a table: changed parents and what was read → the plan. */

const allocation = (
  id: number,
  bill: number,
  amount: number,
  over: Partial<ClioAllocationView> = {},
): ClioAllocationView => ({
  id,
  date: "2026-05-02",
  amount,
  bill: { id: bill, number: `INV-${bill}` },
  parent: { id: 7001, type: "Payment" },
  contact: { id: 1001 },
  ...over,
});
const customer = link("customer", "1001", "58");

function parent(over: Partial<ParentToPlan> = {}): ParentToPlan {
  return {
    type: "Payment",
    id: "7001",
    allocations: [allocation(1, 3101, 100)],
    link: undefined,
    invoiceIdByBill: new Map([["3101", "900"]]),
    waitingForInvoice: false,
    customer,
    ...over,
  };
}

function plan(parents: ParentToPlan[], open: SyncIssue[] = [], inactive?: InactiveRefs): PaymentPlan {
  return planPaymentChanges({
    realmId: "9130",
    creditItemId: "6",
    inactive,
    openIssues: new Map(open.map((i) => [i.key, i])),
    parents,
  });
}

const summary = (p: PaymentPlan) => [
  ...p.operations.map((o) => `qbo ${o.entity} ${o.action}`),
  ...p.issues.map((i) => `item ${i.code}${i.blockedBy ? ` waits for ${i.blockedBy}` : ""}`),
  ...p.clean.map((id) => `clean ${id}`),
];

describe("payment planner", () => {
  const cases: Array<{ name: string; parents: ParentToPlan[]; expected: string[] }> = [
    { name: "a new payment becomes one QBO payment", parents: [parent()], expected: ["qbo payment create"] },
    {
      name: "a payment of a bill whose invoice is not written yet waits for that bill's item",
      parents: [parent({ waitingForInvoice: true, waitingForBill: "3101", invoiceIdByBill: new Map() })],
      expected: ["item sync_invoice_not_synced waits for bill:3101"],
    },
    {
      name: "a payment whose allocations were all voided voids its QBO payment",
      parents: [
        parent({
          allocations: [allocation(1, 3101, 100, { voided_at: "2026-05-03T00:00:00Z" })],
          link: link("payment", "7001", "950"),
        }),
      ],
      expected: ["qbo payment void"],
    },
    {
      name: "a payment deleted in Clio (its allocations are tombstones) voids its QBO payment",
      parents: [
        parent({
          allocations: [allocation(1, 3101, 100, { deleted: true })],
          link: link("payment", "7001", "950"),
        }),
      ],
      expected: ["qbo payment void"],
    },
    {
      name: "a payment voided already in QBO writes nothing",
      parents: [
        parent({
          allocations: [allocation(1, 3101, 100, { deleted: true })],
          link: link("payment", "7001", "950", { contentHash: "void" }),
        }),
      ],
      expected: ["clean 1"],
    },
    {
      name: "a payment that lost one of two allocations is rewritten without it",
      parents: [
        parent({
          allocations: [allocation(1, 3101, 100), allocation(2, 3102, 50, { deleted: true })],
          invoiceIdByBill: new Map([
            ["3101", "900"],
            ["3102", "901"],
          ]),
          link: link("payment", "7001", "950"),
        }),
      ],
      expected: ["qbo payment update"],
    },
    {
      name: "a new credit memo becomes a QBO credit memo",
      parents: [
        parent({
          type: "CreditMemo",
          id: "8001",
          allocations: [allocation(3, 3101, 20, { parent: { id: 8001, type: "CreditMemo" } })],
          memo: { id: 8001, date: "2026-05-04", amount: 20, description: "Courtesy" },
        }),
      ],
      expected: ["qbo credit_memo create"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(plan(c.parents)), c.expected));

  it("an unchanged payment writes nothing; its allocations are clean", () => {
    const written = plan([parent()]).operations[0]!;
    const again = plan([
      parent({ link: link("payment", "7001", "950", { contentHash: written.payload.contentHash }) }),
    ]);
    assert.deepEqual(summary(again), ["clean 1"]);
  });

  it("a payment names its invoices, and its allocations are cleaned only when the write is done", () => {
    const op = plan([parent()]).operations[0]!;
    const body = op.payload.body as {
      Line: Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string }> }>;
      CustomerRef: unknown;
    };
    assert.deepEqual(body.CustomerRef, { value: "58" });
    assert.deepEqual(
      body.Line.map((l) => [l.Amount, l.LinkedTxn[0]?.TxnId]),
      [[100, "900"]],
    );
    assert.deepEqual(op.payload.sources, [{ kind: "allocation", id: "1" }]);
  });

  it("a payment whose write failed is sent again only with a new request id", () => {
    const first = plan([parent()]).operations[0]!;
    const failed: SyncIssue = {
      id: 1,
      key: "payment:7001",
      code: "qbo_validation",
      message: "",
      entity: "payment",
      state: "open",
      firstSeen: 1,
      lastSeen: 1,
      attempts: 1,
      retryRequested: true,
    };
    const retry = plan([parent()], [failed]).operations[0]!;
    assert.notEqual(retry.requestId, first.requestId);
  });

  it("a credit memo waits while its credit item is inactive in QBO; a payment (no item) goes on", () => {
    const memo = parent({
      type: "CreditMemo",
      id: "8001",
      allocations: [allocation(3, 3101, 20, { parent: { id: 8001, type: "CreditMemo" } })],
      memo: { id: 8001, date: "2026-05-04", amount: 20, description: "Courtesy" },
    });
    const p = plan(
      [memo, parent()],
      [],
      inactiveRefsOf([{ entity: "Item", id: "6", name: "Credits (Clio)" }]),
    );
    assert.deepEqual(summary(p), ["qbo payment create", "item sync_reference_inactive waits for qbo_item:6"]);
    assert.equal(p.issues[0]!.key, "credit_memo:8001");
    assert.deepEqual(p.clean, [], "the credit memo's allocation stays dirty");
  });
});
