import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createClioEmulator } from "./app.ts";
import { harness } from "./test-helpers.ts";

describe("Clio emulator admin API", () => {
  it("creates a bill with services, expenses, discount, tax and interest; approves; edits after approval; voids", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b = await h.admin("POST", "bills", {
      matter_id: matterId,
      number: "INV-0042",
      issued_at: "2026-01-10",
      due_at: "2026-02-10",
      tax_rate: "10",
      discount: { rate: "25", type: "money" },
      interest: { total: "5" },
      line_items: [
        { kind: "Service", description: "Advice", quantity: "2", price: "200", taxable: true },
        { kind: "Expense", description: "Courier", quantity: 1, price: "20" },
      ],
    });
    assert.equal(b.status, 201);
    assert.equal(b.json.data.state, "draft");
    assert.equal(b.json.data.total, 420 - 25 + 40 + 5);
    const approved = await h.admin("POST", `bills/${b.json.data.id}/approve`);
    assert.equal(approved.json.data.state, "awaiting_payment");
    await h.clock.advance(1000);
    const edited = await h.admin("PATCH", `bills/${b.json.data.id}`, {
      memo: "fixed",
      line_items: [{ kind: "Expense", description: "Extra", price: "10" }],
    });
    assert.equal(edited.json.data.total, 450);
    assert.notEqual(edited.json.data.etag, approved.json.data.etag);
    const lines = await h.api("GET", `line_items.json?bill_id=${b.json.data.id}&fields=id`);
    const del = await h.admin("PATCH", `bills/${b.json.data.id}`, {
      line_items: [{ id: lines.json.data[2].id, _destroy: true }],
    });
    assert.equal(del.json.data.total, 440);
    const voided = await h.admin("POST", `bills/${b.json.data.id}/void`);
    assert.equal(voided.json.data.state, "void");
    assert.equal((await h.admin("POST", `bills/${b.json.data.id}/void`)).status, 422);
  });

  it("deletes a draft bill, and refuses to pay a draft", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const id = await h.bill(matterId, "10", { state: "draft" });
    assert.equal((await h.admin("POST", "payments", { allocations: [{ bill_id: id }] })).status, 422);
    assert.equal((await h.admin("DELETE", `bills/${id}`)).json.data.state, "deleted");
  });

  it("records one payment across several bills, edits it, voids and deletes payments and credits", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b1 = await h.bill(matterId, "100");
    const b2 = await h.bill(matterId, "200");
    const p = await h.admin("POST", "payments", {
      allocations: [
        { bill_id: b1, amount: "100" },
        { bill_id: b2, amount: "50" },
      ],
      reference: "CHQ-1",
    });
    assert.equal(p.json.data.amount, 150);
    const e = await h.admin("PATCH", `payments/${p.json.data.id}`, {
      allocations: [{ bill_id: b2, amount: "80" }],
      date: "2026-02-01",
    });
    assert.equal(e.json.data.amount, 180);
    assert.equal(e.json.data.date, "2026-02-01");
    assert.equal((await h.api("GET", `bills/${b2}.json?fields=balance`)).json.data.balance, 120);
    assert.equal(
      (
        await h.admin("PATCH", `payments/${p.json.data.id}`, {
          allocations: [{ bill_id: b2, amount: "500" }],
        })
      ).status,
      422,
    );
    const c = await h.admin("POST", "credit_memos", {
      allocations: [{ bill_id: b2, amount: "20" }],
      discount: true,
    });
    assert.equal(
      (await h.admin("POST", `credit_memos/${c.json.data.id}/void`)).json.data.voided_at !== null,
      true,
    );
    const c2 = await h.admin("POST", "credit_memos", { allocations: [{ bill_id: b2, amount: "20" }] });
    assert.equal((await h.admin("DELETE", `credit_memos/${c2.json.data.id}`)).status, 204);
    assert.equal((await h.admin("DELETE", `payments/${p.json.data.id}`)).status, 204);
    assert.equal((await h.api("GET", `bills/${b1}.json?fields=balance`)).json.data.balance, 100);
    assert.equal((await h.api("GET", "bank_transactions.json")).json.data.length, 0);
  });

  it("takes one bill off a payment, touching that bill; refuses to delete a parent's last allocation", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b1 = await h.bill(matterId, "100");
    const b2 = await h.bill(matterId, "200");
    const p = await h.admin("POST", "payments", {
      allocations: [
        { bill_id: b1, amount: "100" },
        { bill_id: b2, amount: "50" },
      ],
    });
    const list = async () =>
      (await h.api("GET", `allocations.json?parent_id=${p.json.data.id}&fields=id,bill{id}&order=id(asc)`))
        .json.data as Array<{ id: number; bill: { id: number } }>;
    const [first, second] = await list();
    const before = (await h.api("GET", `bills/${b2}.json?fields=etag,balance`)).json.data;
    await h.clock.advance(1000);
    assert.equal((await h.admin("DELETE", `allocations/${second!.id}`)).status, 204);
    assert.deepEqual(
      (await list()).map((a) => a.bill.id),
      [b1],
    );
    const after = (await h.api("GET", `bills/${b2}.json?fields=etag,balance`)).json.data;
    assert.equal(after.balance, 200);
    assert.notEqual(after.etag, before.etag, "the bill changed");
    assert.equal((await h.admin("GET", `payments/${p.json.data.id}`)).json.data.amount, 100);
    assert.equal(
      (await h.api("GET", "bank_transactions.json?fields=amount")).json.data
        .map((t: { amount: number }) => t.amount)
        .join(),
      "100",
      "its bank entry went with it",
    );
    assert.equal((await h.admin("DELETE", `allocations/${first!.id}`)).status, 422);
    assert.equal((await h.admin("DELETE", "allocations/999999")).status, 404);
  });

  it("edits and deletes trust deposits, withdrawals and transfers", async () => {
    const h = harness();
    const a = await h.client();
    const b = await h.client();
    const d = await h.admin("POST", "trust/deposits", { matter_id: a.matterId, amount: "100" });
    const e = await h.admin("PATCH", `bank_transactions/${d.json.data.id}`, {
      amount: "150",
      description: "Retainer",
    });
    assert.equal(e.json.data.funds_in, 150);
    const t = await h.admin("POST", "trust/transfers", {
      from_matter_id: a.matterId,
      to_matter_id: b.matterId,
      amount: "50",
    });
    const te = await h.admin("PATCH", `bank_transfers/${t.json.data.id}`, {
      amount: "70",
      description: "Costs",
    });
    assert.equal(te.json.data.amount, 70);
    const legs = await h.api("GET", "bank_transactions.json?fields=id,amount,description&type=liability");
    const ofTransfer = legs.json.data.filter((l: { id: number }) =>
      Object.values(te.json.data.legs).includes(l.id),
    );
    assert.deepEqual(
      ofTransfer.map((l: { amount: number; description: string }) => [l.amount, l.description]),
      [
        [70, "Costs"],
        [70, "Costs"],
      ],
      "an edit changes both legs",
    );
    const balance = async (m: number) =>
      (await h.api("GET", `matters/${m}.json?fields=account_balances{balance}`)).json.data.account_balances[0]
        ?.balance ?? 0;
    assert.equal(await balance(a.matterId), 80);
    assert.equal(await balance(b.matterId), 70);
    assert.equal((await h.admin("DELETE", `bank_transfers/${t.json.data.id}`)).status, 204);
    assert.equal(await balance(b.matterId), 0);
    const w = await h.admin("POST", "trust/withdrawals", { matter_id: a.matterId, amount: "10" });
    assert.equal((await h.admin("DELETE", `bank_transactions/${w.json.data.id}`)).status, 204);
    assert.equal(await balance(a.matterId), 150);
  });

  it("creates and pays a trust request through the admin API", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const tr = await h.admin("POST", "trust_requests", {
      client_id: contactId,
      trust_amount: "75",
      trust_type: "client",
      issue_date: "2026-01-01",
      due_date: "2026-01-09",
      approved: false,
    });
    assert.equal(tr.json.data.state, "awaiting_approval");
    assert.equal((await h.admin("POST", `trust_requests/${tr.json.data.id}/pay`, {})).status, 422);
    await h.admin("POST", `bills/${tr.json.data.id}/approve`);
    const p = await h.admin("POST", `trust_requests/${tr.json.data.id}/pay`, { amount: "25" });
    assert.equal(p.json.data.destination_bank_account.type, "Trust");
    assert.equal((await h.admin("GET", `bills/${tr.json.data.id}`)).json.data.balance, 50);
  });

  it("exports deterministic state and imports it into another instance", async () => {
    const build = async () => {
      const h = harness();
      const { matterId } = await h.client();
      await h.bill(matterId, "99.99");
      await h.admin("POST", "trust/deposits", { matter_id: matterId, amount: "10" });
      return (await h.admin("GET", "export")).json;
    };
    const a = await build();
    const b = await build();
    assert.deepEqual(a, b);
    const other = createClioEmulator({ firm: a });
    assert.deepEqual(other.exportState(), a);
    const h = harness();
    assert.equal((await h.admin("POST", "import", a)).status, 200);
    const tok = h.emulator.issueToken().access_token;
    const r = await h.emulator.app.request("/api/v4/bills.json?fields=total", {
      headers: { Authorization: `Bearer ${tok}` },
    });
    assert.deepEqual(((await r.json()) as { data: unknown }).data, [{ total: 99.99 }]);
    await h.admin("POST", "reset");
    assert.equal((await h.admin("GET", "summary")).json.counts.bills, 0);
  });

  it("injects faults by path with a seeded rate, and clears them", async () => {
    const h = harness();
    await h.admin("PUT", "faults", { rules: [{ kind: "503", rate: 1, path: "/api/v4/contacts", count: 2 }] });
    assert.equal((await h.api("GET", "contacts.json")).status, 503);
    assert.equal((await h.api("GET", "matters.json")).status, 200);
    assert.equal((await h.api("GET", "contacts.json")).status, 503);
    assert.equal((await h.api("GET", "contacts.json")).status, 200, "count exhausted");
    await h.admin("PUT", "faults", { rules: [{ kind: "429", rate: 1 }] });
    const limited = await h.api("GET", "contacts.json");
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get("Retry-After"));
    await h.admin("PUT", "faults", { rules: [{ kind: "reset", rate: 1 }] });
    assert.equal((await h.api("GET", "contacts.json")).headers.get("X-Emulator-Fault"), "reset");
    await h.admin("PUT", "faults", { rules: [{ kind: "500", rate: 0.5 }], seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await h.api("GET", "contacts.json")).status);
    const fails = statuses.filter((s) => s === 500).length;
    assert.ok(fails > 8 && fails < 32, `about half fail (${fails})`);
    await h.admin("DELETE", "faults");
    assert.equal((await h.api("GET", "contacts.json")).status, 200);
  });

  it("adds latency and slow responses on the injected clock", async () => {
    const h = harness();
    await h.admin("PUT", "latency", { ms: 500 });
    let done = false;
    const p = h.api("GET", "contacts.json").then((r) => {
      done = true;
      return r;
    });
    await h.clock.advance(499);
    assert.equal(done, false);
    await h.clock.advance(1);
    assert.equal((await p).status, 200);
  });
});
