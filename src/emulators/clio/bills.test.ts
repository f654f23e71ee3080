import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

const TOTALS =
  "id,state,sub_total,discount,tax_sum,secondary_tax_sum,interest,total,due,balance,paid,credits_issued,currency,kind,type";

describe("Clio emulator bills and line items (clio-api.md §5.3, §5.4)", () => {
  it("has no POST /bills", async () => {
    const h = harness();
    const r = await h.api("POST", "bills.json", { data: { number: "1" } });
    assert.equal(r.status, 404);
  });

  it("keeps totals consistent with discount, taxes and interest (integer cents)", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b = await h.admin("POST", "bills", {
      matter_id: matterId,
      state: "awaiting_payment",
      tax_rate: "13",
      secondary_tax_rate: "5",
      discount: { rate: "10", type: "percentage" },
      interest: { rate: "1.5", type: "simple", total: "12.34" },
      line_items: [
        {
          kind: "Service",
          description: "Work",
          quantity: "1.5",
          price: "300",
          taxable: true,
          secondary_taxable: true,
        },
        { kind: "Expense", description: "Filing", quantity: 1, price: "50.25" },
        { kind: "Service", description: "Call", quantity: "0.1", price: "333.33", taxable: true },
      ],
    });
    const r = await h.api("GET", `bills/${b.json.data.id}.json?fields=${TOTALS}`);
    const bill = r.json.data;
    // lines: 450.00 + 50.25 + 33.33 = 533.58; discount 10% = 53.36; tax 13% of 483.33 = 62.83; 2nd 5% of 450 = 22.50
    assert.equal(bill.sub_total, 533.58);
    assert.equal(bill.tax_sum, 62.83);
    assert.equal(bill.secondary_tax_sum, 22.5);
    assert.equal(bill.interest.total, 12.34);
    // total = 53358 − 5336 + 6283 + 2250 + 1234 cents
    assert.equal(bill.total, 577.89);
    assert.equal(bill.balance, 577.89);
    assert.deepEqual(bill.discount.type, "percentage");
    assert.deepEqual(bill.currency, { id: 1, code: "USD", sign: "$" });
    assert.equal(bill.kind, "revenue_kind");
    assert.equal(bill.type, "MatterBill");
    const lines = await h.api("GET", `line_items.json?bill_id=${bill.id}&fields=total,kind,type`);
    assert.deepEqual(
      lines.json.data.map((l: { total: number }) => l.total),
      [450, 50.25, 33.33],
    );
    assert.equal(lines.json.data[0].type, "ActivityLineItem");
  });

  it("tracks paid, credits_issued and balance; a fully paid bill reads as paid", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const id = await h.bill(matterId, "100");
    await h.admin("POST", "payments", { allocations: [{ bill_id: id, amount: "60" }], date: "2026-01-05" });
    await h.admin("POST", "credit_memos", { allocations: [{ bill_id: id, amount: "15" }] });
    let b = (await h.api("GET", `bills/${id}.json?fields=state,paid,credits_issued,balance,paid_at`)).json
      .data;
    assert.deepEqual(b, {
      state: "awaiting_payment",
      paid: 60,
      credits_issued: 15,
      balance: 25,
      paid_at: "2026-01-05",
    });
    await h.admin("POST", "payments", { allocations: [{ bill_id: id }] });
    b = (await h.api("GET", `bills/${id}.json?fields=state,balance,available_state_transitions`)).json.data;
    assert.deepEqual(b, { state: "paid", balance: 0, available_state_transitions: [] });
  });

  it("DELETE: draft and awaiting_approval → deleted, awaiting_payment → void, refused with payments", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const draft = await h.bill(matterId, "10", { state: "draft" });
    const pending = await h.bill(matterId, "10", { state: "awaiting_approval" });
    const approved = await h.bill(matterId, "10");
    const paid = await h.bill(matterId, "10");
    await h.admin("POST", "payments", { allocations: [{ bill_id: paid, amount: "5" }] });
    for (const id of [draft, pending, approved])
      assert.equal((await h.api("DELETE", `bills/${id}.json`)).status, 204);
    const refused = await h.api("DELETE", `bills/${paid}.json`);
    assert.equal(refused.status, 422);
    const states = await h.api("GET", "bills.json?fields=id,state");
    assert.deepEqual(
      states.json.data.map((b: { state: string }) => b.state),
      ["deleted", "deleted", "void", "awaiting_payment"],
    );
    const voids = await h.api("GET", "bills.json?state=void&fields=id");
    assert.deepEqual(voids.json.data, [{ id: approved }]);
  });

  it("PATCH follows available_state_transitions and refuses money edits once approved", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const id = await h.bill(matterId, "10", { state: "draft" });
    const t = await h.api("GET", `bills/${id}.json?fields=available_state_transitions`);
    assert.ok(!t.json.data.available_state_transitions.includes("draft"));
    const approved = await h.api("PATCH", `bills/${id}.json?fields=state`, {
      data: { state: "awaiting_payment" },
    });
    assert.equal(approved.json.data.state, "awaiting_payment");
    assert.equal((await h.api("PATCH", `bills/${id}.json`, { data: { state: "draft" } })).status, 422);
    assert.equal((await h.api("PATCH", `bills/${id}.json`, { data: { tax_rate: 5 } })).status, 422);
    assert.equal(
      (await h.api("PATCH", `bills/${id}.json?fields=memo`, { data: { memo: "Thanks" } })).json.data.memo,
      "Thanks",
    );
  });

  it("filters by type (revenue|trust, unlike the kind field), state, client and matter", async () => {
    const h = harness();
    const a = await h.client();
    const b = await h.client();
    const revenue = await h.bill(a.matterId);
    await h.bill(b.matterId);
    const tr = await h.api("POST", "trust_requests.json", {
      data: {
        client_id: a.contactId,
        trust_amount: 500,
        trust_type: "client",
        issue_date: "2026-01-01",
        due_date: "2026-01-31",
        approved: true,
      },
    });
    const trust = await h.api("GET", "bills.json?type=trust&fields=id,kind");
    assert.deepEqual(trust.json.data, [{ id: tr.json.data.id, kind: "trust_kind" }]);
    const rev = await h.api("GET", `bills.json?type=revenue&client_id=${a.contactId}&fields=id`);
    assert.deepEqual(rev.json.data, [{ id: revenue }]);
    assert.equal((await h.api("GET", "bills.json?type=trust_kind")).status, 400);
    assert.equal((await h.api("GET", `bills.json?matter_id=${b.matterId}&fields=id`)).json.data.length, 1);
    assert.equal((await h.api("GET", "bills.json?state=paid")).json.data.length, 0);
  });

  it("line items: PATCH and DELETE only while the bill is editable", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const draft = await h.bill(matterId, "10", { state: "draft" });
    const approved = await h.bill(matterId, "10");
    const dl = (await h.api("GET", `line_items.json?bill_id=${draft}`)).json.data[0];
    const al = (await h.api("GET", `line_items.json?bill_id=${approved}`)).json.data[0];
    const p = await h.api("PATCH", `line_items/${dl.id}.json?fields=price,total`, {
      data: { price: 20, quantity: 2 },
    });
    assert.deepEqual(p.json.data, { price: 20, total: 40 });
    assert.equal((await h.api("GET", `bills/${draft}.json?fields=total`)).json.data.total, 40);
    assert.equal((await h.api("PATCH", `line_items/${al.id}.json`, { data: { price: 20 } })).status, 422);
    assert.equal((await h.api("DELETE", `line_items/${al.id}.json`)).status, 422);
    assert.equal((await h.api("DELETE", `line_items/${dl.id}.json`)).status, 204);
    assert.equal((await h.api("GET", "line_items/1.json")).status, 404, "line items have no show");
  });

  it("activities: billed reflects the bill state", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const id = await h.bill(matterId, "10", { state: "draft" });
    const list = async () =>
      (await h.api("GET", `activities.json?matter_id=${matterId}&fields=type,billed,on_bill`)).json.data;
    assert.deepEqual(await list(), [{ type: "TimeEntry", billed: false, on_bill: true }]);
    await h.admin("POST", `bills/${id}/approve`);
    assert.deepEqual(await list(), [{ type: "TimeEntry", billed: true, on_bill: true }]);
    assert.equal((await h.api("POST", "activities.json", { data: { date: "2026-01-01" } })).status, 422);
  });
});
