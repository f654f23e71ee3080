import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioBillView, ClioLineItemView } from "../../mapping/clio-billing-views.ts";
import type { Link, SyncIssue } from "../../store/port.ts";
import { linkFixture, openItem } from "../../testing/store-fixtures.ts";
import { type InactiveRefs, inactiveRefsOf } from "./inactive-refs.ts";
import { type BillToPlan, type InvoicePlan, planInvoiceChanges } from "./invoices.ts";

/** The invoice planner as a table: a page of changed bills and what was read for them → the plan. */

const items = { services: "1", expenses: "2", tax: "3", interest: "4", adjustment: "5", credit: "6" };

const bill = (over: Partial<ClioBillView> = {}): ClioBillView => ({
  id: 3101,
  number: "INV-42",
  state: "awaiting_payment",
  kind: "revenue_kind",
  issued_at: "2026-04-30",
  due_at: "2026-05-30",
  sub_total: 300,
  tax_sum: 0,
  secondary_tax_sum: 0,
  total: 300,
  client: { id: 1001, name: "Jane Doe" },
  matters: [{ id: 77, display_number: "00077" }],
  ...over,
});
const lines: ClioLineItemView[] = [
  {
    id: 1,
    kind: "Service",
    description: "Research",
    quantity: 2,
    price: 150,
    total: 300,
    date: "2026-04-02",
  },
];
const link = (entity: "invoice" | "customer", clioId: string, qboId: string, over: Partial<Link> = {}) =>
  linkFixture(entity, clioId, qboId, { syncToken: "2", ...over });
const item = (code: string, over: Partial<SyncIssue> = {}) =>
  openItem("bill:3101", code, { entity: "bill", ...over });
const customer = link("customer", "1001", "58");

function plan(
  bills: Array<Partial<BillToPlan>>,
  openIssues: SyncIssue[] = [],
  inactive?: InactiveRefs,
  step?: "writes" | "voids",
): InvoicePlan {
  return planInvoiceChanges({
    realmId: "9130",
    startDate: "2026-01-01",
    items,
    inactive,
    step,
    openIssues: new Map(openIssues.map((i) => [i.key, i])),
    bills: bills.map((b) => ({ id: "3101", bill: bill(), link: undefined, customer, lines, ...b })),
  });
}

const summary = (p: InvoicePlan) => [
  ...p.operations.map((o) => `qbo ${o.action}`),
  ...p.issues.map((i) => `item ${i.code}${i.blockedBy ? ` waits for ${i.blockedBy}` : ""}`),
  ...p.clean.map((id) => `clean ${id}`),
];

describe("invoice planner", () => {
  const cases: Array<{
    name: string;
    bills: Array<Partial<BillToPlan>>;
    open?: SyncIssue[];
    expected: string[];
  }> = [
    {
      name: "an approved bill with a linked client becomes an invoice",
      bills: [{}],
      expected: ["qbo create"],
    },
    {
      name: "a bill whose content changed since its invoice was written is a full update",
      bills: [{ link: link("invoice", "3101", "900", { contentHash: "written-before" }) }],
      expected: ["qbo update"],
    },
    {
      name: "a draft never syncs",
      bills: [{ bill: bill({ state: "draft" }) }],
      expected: ["clean 3101"],
    },
    {
      name: "a bill issued before the start date never syncs",
      bills: [{ bill: bill({ issued_at: "2025-12-31" }) }],
      expected: ["clean 3101"],
    },
    {
      name: "a voided bill voids its invoice",
      bills: [{ bill: bill({ state: "void" }), link: link("invoice", "3101", "900") }],
      expected: ["qbo void"],
    },
    {
      name: "a deleted bill (a tombstone) voids its invoice",
      bills: [{ bill: bill({ deleted: true }), link: link("invoice", "3101", "900") }],
      expected: ["qbo void"],
    },
    {
      name: "an invoice voided already is not voided again",
      bills: [
        {
          bill: bill({ state: "void" }),
          link: link("invoice", "3101", "900", { state: "voided", contentHash: null }),
        },
      ],
      expected: ["clean 3101"],
    },
    {
      name: "an invoice voided already but changed in QBO since is voided again",
      bills: [
        {
          bill: bill({ state: "void" }),
          link: link("invoice", "3101", "900", { state: "voided", contentHash: null, qboEditedAt: 5 }),
        },
      ],
      expected: ["qbo void"],
    },
    {
      name: "a bill whose client is not linked waits, and stays dirty",
      bills: [{ customer: undefined }],
      expected: ["item sync_customer_not_synced waits for contact:1001"],
    },
    {
      name: "a bill whose client's customer was made inactive waits on that customer",
      bills: [{ customer: link("customer", "1001", "58", { state: "inactive" }) }],
      expected: ["item sync_customer_not_synced waits for contact:1001"],
    },
    {
      name: "a bill number QBO cannot hold is an item, never shortened",
      bills: [{ bill: bill({ number: "N".repeat(30) }) }],
      expected: ["item sync_doc_number_too_long", "clean 3101"],
    },
    {
      name: "a bill whose last write failed is tried again once it changed (bills reach the planner when changed)",
      bills: [{}],
      open: [item("qbo_validation")],
      expected: ["qbo create"],
    },
    {
      name: "a broken link is re-created only on re-sync",
      bills: [{ link: link("invoice", "3101", "900", { state: "broken" }) }],
      expected: ["clean 3101"],
    },
    {
      name: "re-sync of a broken link re-creates the invoice",
      bills: [{ link: link("invoice", "3101", "900", { state: "broken" }) }],
      open: [item("sync_link_broken", { retryRequested: true })],
      expected: ["qbo create"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(plan(c.bills, c.open)), c.expected));

  it("a void writes no content and keeps the pairing as voided", () => {
    const [voiding] = plan([
      { bill: bill({ state: "void" }), link: link("invoice", "3101", "900") },
    ]).operations;
    assert.equal(voiding!.payload.linkAfter, "voided");
    assert.equal(voiding!.payload.contentHash, undefined);
  });

  it("an unchanged bill writes nothing; an edit in QBO is overwritten with Clio's version", () => {
    const [written] = plan([{}]).operations;
    const hash = written!.payload.contentHash;
    assert.deepEqual(summary(plan([{ link: link("invoice", "3101", "900", { contentHash: hash }) }])), [
      "clean 3101",
    ]);
    const restore = plan([{ link: link("invoice", "3101", "900", { contentHash: hash, qboEditedAt: 5 }) }])
      .operations[0]!;
    assert.equal(restore.action, "update");
    assert.equal(restore.payload.body.Id, "900");
    assert.equal(restore.payload.body.SyncToken, "2");
  });

  it("the invoice carries the bill's number, dates, customer and an expected total equal to Clio's", () => {
    const op = plan([{}]).operations[0]!;
    const body = op.payload.body as Record<string, unknown>;
    assert.equal(body.DocNumber, "INV-42");
    assert.equal(body.TxnDate, "2026-04-30");
    assert.deepEqual(body.CustomerRef, { value: "58" });
    assert.equal(op.payload.expectedTotal, "300.00");
  });

  it("a bill whose lines use an item made inactive in QBO waits on that item, and stays dirty", () => {
    const held = plan([{}], [], inactiveRefsOf([{ entity: "Item", id: "1", name: "Legal Services (Clio)" }]));
    assert.deepEqual(summary(held), ["item sync_reference_inactive waits for qbo_item:1"]);
    assert.match(held.issues[0]!.message, /"Legal Services \(Clio\)".*re-sync the item qbo_item:1/);
    const other = inactiveRefsOf([
      { entity: "Item", id: "2", name: "Expenses (Clio)" },
      { entity: "Account", id: "1", name: "Trust" },
    ]);
    assert.deepEqual(summary(plan([{}], [], other)), ["qbo create"], "items it does not use hold nothing");
  });

  it("voids wait for the step after payments and credits; writes are planned in the step before", () => {
    const deleted = { bill: bill({ state: "void" }), link: link("invoice", "3101", "900") };
    assert.deepEqual(summary(plan([deleted], [], undefined, "writes")), [], "left dirty for the voids step");
    assert.deepEqual(summary(plan([deleted], [], undefined, "voids")), ["qbo void"]);
    const draft = { bill: bill({ state: "draft" }) };
    assert.deepEqual(summary(plan([draft], [], undefined, "voids")), ["clean 3101"]);
    assert.deepEqual(summary(plan([{}], [], undefined, "writes")), ["qbo create"]);
    assert.deepEqual(
      summary(plan([{}], [], undefined, "voids")),
      [],
      "an invoiceable bill is the writes step's",
    );
  });
});

describe("invoice planner in a company with sales tax", () => {
  const canada = {
    model: "global" as const,
    homeCurrency: "CAD",
    multiCurrency: false,
    codes: [
      { id: "11", name: "HST ON", rates: [13000] },
      { id: "14", name: "Exempt", rates: [] },
    ],
  };
  const taxed = bill({ tax_rate: 13, tax_sum: 39, total: 339 });
  const taxedLines = [{ ...lines[0]!, taxable: true }];
  const run = (setting: Record<string, string>) =>
    planInvoiceChanges({
      realmId: "9130",
      startDate: "2026-01-01",
      items,
      tax: { company: canada, setting },
      openIssues: new Map(),
      bills: [{ id: "3101", bill: taxed, link: undefined, customer, lines: taxedLines }],
    });

  it("a rate with a code: a create whose expected total includes QBO's tax", () => {
    const p = run({});
    assert.deepEqual(summary(p), ["qbo create"]);
    assert.equal(p.operations[0]!.payload.expectedTotal, "339.00");
  });

  it("a rate without a code: an item naming it, and the bill stays dirty until the setting is made", () => {
    const p = planInvoiceChanges({
      realmId: "9130",
      startDate: "2026-01-01",
      items,
      tax: { company: { ...canada, codes: [canada.codes[1]!] }, setting: { "0": "Exempt" } },
      openIssues: new Map(),
      bills: [{ id: "3101", bill: taxed, link: undefined, customer, lines: taxedLines }],
    });
    assert.deepEqual(summary(p), ["item sync_tax_code_missing"]);
    assert.match(p.issues[0]!.message, /Bill INV-42: .*a tax code for 13%/);
  });
});
