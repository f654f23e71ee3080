import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

const ALLOC =
  "id,amount,voided_at,parent{id,type},bill{id},contact{id},matter{id},source_bank_account{id,type},destination_bank_account{id,type}";

describe("Clio emulator money: allocations, credit memos, bank resources, trust (clio-api.md §5.6–§5.8)", () => {
  it("links Payment and CreditMemo parents to bills through allocations", async () => {
    const h = harness();
    const { contactId, matterId } = await h.client();
    const b1 = await h.bill(matterId, "100");
    const b2 = await h.bill(matterId, "50");
    const pay = await h.admin("POST", "payments", {
      allocations: [
        { bill_id: b1, amount: "100" },
        { bill_id: b2, amount: "20" },
      ],
    });
    assert.equal(pay.json.data.amount, 120);
    const memo = await h.admin("POST", "credit_memos", {
      allocations: [{ bill_id: b2, amount: "30" }],
      description: "Write-off",
    });
    const all = (await h.api("GET", `allocations.json?order=id(asc)&fields=${ALLOC}`)).json.data;
    assert.equal(all.length, 3);
    assert.deepEqual(
      all.map((a: { parent: { type: string } }) => a.parent.type),
      ["Payment", "Payment", "CreditMemo"],
    );
    assert.ok(all.every((a: { contact: { id: number } }) => a.contact.id === contactId));
    assert.equal(all[0].destination_bank_account.type, "Operating");
    assert.equal(all[0].source_bank_account, null);
    const byParent = await h.api("GET", `allocations.json?parent_id=${memo.json.data.id}&fields=amount`);
    assert.deepEqual(byParent.json.data, [{ amount: 30 }]);
    const memos = await h.api(
      "GET",
      "credit_memos.json?fields=amount,description,discount,voided_at,contact{id}",
    );
    assert.deepEqual(memos.json.data, [
      { amount: 30, description: "Write-off", discount: false, voided_at: null, contact: { id: contactId } },
    ]);
  });

  it("voids softly: voided_at on the parent and allocations, status=valid|invalid filter, bill balance restored", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b = await h.bill(matterId, "100");
    const p = await h.admin("POST", "payments", { allocations: [{ bill_id: b, amount: "40" }] });
    await h.admin("POST", "payments", { allocations: [{ bill_id: b, amount: "10" }] });
    await h.clock.advance(5000);
    const v = await h.admin("POST", `payments/${p.json.data.id}/void`);
    assert.ok(v.json.data.voided_at);
    const invalid = await h.api("GET", "allocations.json?status=invalid&fields=amount,voided_at");
    assert.equal(invalid.json.data.length, 1);
    assert.ok(invalid.json.data[0].voided_at);
    assert.equal((await h.api("GET", "allocations.json?status=valid")).json.data.length, 1);
    assert.equal((await h.api("GET", `bills/${b}.json?fields=balance`)).json.data.balance, 90);
    assert.equal((await h.api("GET", "allocations.json?status=bogus")).status, 400);
  });

  it("a payment from trust shows source Trust and destination Operating and moves both ledgers", async () => {
    const h = harness();
    const { matterId, contactId } = await h.client();
    const b = await h.bill(matterId, "100");
    assert.equal(
      (await h.admin("POST", "payments", { allocations: [{ bill_id: b }], source: "trust" })).status,
      422,
      "no trust funds yet",
    );
    await h.admin("POST", "trust/deposits", { matter_id: matterId, amount: "300" });
    await h.admin("POST", "payments", { allocations: [{ bill_id: b }], source: "trust" });
    const a = (await h.api("GET", `allocations.json?fields=${ALLOC}`)).json.data[0];
    assert.equal(a.source_bank_account.type, "Trust");
    assert.equal(a.destination_bank_account.type, "Operating");
    const bal = (await h.api("GET", `contacts/${contactId}.json?fields=account_balances{balance,type}`)).json
      .data.account_balances;
    assert.deepEqual(
      bal.find((x: { type: string }) => x.type === "Trust"),
      { balance: 200, type: "Trust" },
    );
  });

  it("bank accounts: type Operating|Trust on the field, OperatingAccount|TrustAccount in the filter", async () => {
    const h = harness();
    const op = await h.api("POST", "bank_accounts.json?fields=type,currency,balance", {
      data: { type: "Operating", currency: "USD", name: "Op" },
    });
    assert.deepEqual(op.json.data, { type: "Operating", currency: "USD", balance: 0 });
    await h.api("POST", "bank_accounts.json", { data: { type: "Trust", currency: "USD", name: "IOLTA" } });
    assert.equal(
      (await h.api("POST", "bank_accounts.json", { data: { type: "Trust" } })).status,
      422,
      "currency required",
    );
    const trust = await h.api("GET", "bank_accounts.json?type=TrustAccount&fields=name,type");
    assert.deepEqual(trust.json.data, [{ name: "IOLTA", type: "Trust" }]);
    assert.equal((await h.api("GET", "bank_accounts.json?type=Trust")).status, 400);
  });

  it("bank transactions: funds_in/funds_out, running balance, asset vs liability, client and matter", async () => {
    const h = harness();
    const { matterId, contactId } = await h.client();
    await h.admin("POST", "trust/deposits", { matter_id: matterId, amount: "500", date: "2026-01-02" });
    await h.admin("POST", "trust/withdrawals", { matter_id: matterId, amount: "120.5", date: "2026-01-03" });
    assert.equal(
      (await h.admin("POST", "trust/withdrawals", { matter_id: matterId, amount: "1000" })).status,
      422,
    );
    const txs = (
      await h.api(
        "GET",
        "bank_transactions.json?type=liability&fields=funds_in,funds_out,amount,current_account_balance,client{id},matter{id}",
      )
    ).json.data;
    assert.deepEqual(txs, [
      {
        funds_in: 500,
        funds_out: 0,
        amount: 500,
        current_account_balance: 500,
        client: { id: contactId },
        matter: { id: matterId },
      },
      {
        funds_in: 0,
        funds_out: 120.5,
        amount: 120.5,
        current_account_balance: 379.5,
        client: { id: contactId },
        matter: { id: matterId },
      },
    ]);
    assert.equal((await h.api("GET", "bank_transactions.json?type=asset")).json.data.length, 0);
    assert.equal((await h.api("GET", `bank_transactions.json?matter_id=${matterId}`)).json.data.length, 2);
  });

  it("bank transfers: matter-to-matter between clients, show only (no list)", async () => {
    const h = harness();
    const a = await h.client();
    const b = await h.client({ first_name: "Other" });
    await h.admin("POST", "trust/deposits", { matter_id: a.matterId, amount: "100" });
    const t = await h.admin("POST", "trust/transfers", {
      from_matter_id: a.matterId,
      to_matter_id: b.matterId,
      amount: "40",
    });
    assert.equal(t.status, 201);
    const show = await h.api(
      "GET",
      `bank_transfers/${t.json.data.id}.json?fields=amount,client{id},matter{id},source_account{type},destination_account{type}`,
    );
    assert.deepEqual(show.json.data, {
      amount: 40,
      client: { id: b.contactId },
      matter: { id: b.matterId },
      source_account: { type: "Trust" },
      destination_account: { type: "Trust" },
    });
    assert.equal((await h.api("GET", "bank_transfers.json")).status, 404);
    // The legs name no transfer (the spec has no such field); they share what a client pairs them by.
    const { from, to } = t.json.data.legs;
    const legs = await h.api(
      "GET",
      `bank_transactions.json?ids[]=${from}&ids[]=${to}&fields=id,date,funds_in,funds_out,description,transaction_type,source,created_at,matter{id}`,
    );
    const [out, into] = legs.json.data;
    assert.deepEqual([out.id, out.funds_out, out.matter.id], [from, 40, a.matterId]);
    assert.deepEqual([into.id, into.funds_in, into.matter.id], [to, 40, b.matterId]);
    assert.equal(to, from + 1);
    for (const k of ["date", "description", "transaction_type", "source", "created_at"])
      assert.equal(out[k], into[k], k);
    for (const extension of ["bank_transfer", "source_client"]) {
      const path =
        extension === "bank_transfer" ? "bank_transactions.json" : `bank_transfers/${t.json.data.id}.json`;
      const res = await h.api("GET", `${path}?fields=id,${extension}`);
      assert.equal(res.status, 400, extension);
      assert.match(res.json.error.message, new RegExp(`${extension} is not a valid field`));
    }
    const bal = async (m: number) =>
      (await h.api("GET", `matters/${m}.json?fields=account_balances{balance}`)).json.data.account_balances[0]
        .balance;
    assert.equal(await bal(a.matterId), 60);
    assert.equal(await bal(b.matterId), 40);
  });

  it("trust requests: POST returns only id/etag/created_at/updated_at; paying deposits into trust", async () => {
    const h = harness();
    const { contactId, matterId } = await h.client();
    assert.equal(
      (await h.api("POST", "trust_requests.json", { data: { client_id: contactId, trust_amount: 100 } }))
        .status,
      422,
    );
    const r = await h.api("POST", "trust_requests.json?fields=id,etag,created_at,updated_at", {
      data: {
        client_id: contactId,
        trust_amount: 250,
        trust_type: "matter",
        issue_date: "2026-01-01",
        due_date: "2026-01-15",
        approved: true,
        matter: [{ id: matterId }],
      },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.json.data).sort(), ["created_at", "etag", "id", "updated_at"]);
    assert.equal((await h.api("GET", "trust_requests.json")).status, 404, "trust requests have no list");
    const paid = await h.admin("POST", `trust_requests/${r.json.data.id}/pay`, { date: "2026-01-10" });
    assert.equal(paid.status, 201);
    const bill = (await h.api("GET", `bills/${r.json.data.id}.json?fields=state,kind,total,paid`)).json.data;
    assert.deepEqual(bill, { state: "paid", kind: "trust_kind", total: 250, paid: 250 });
    const bal = (await h.api("GET", `matters/${matterId}.json?fields=account_balances{balance,type}`)).json
      .data.account_balances;
    assert.deepEqual(bal, [{ balance: 250, type: "Trust" }]);
  });
});
