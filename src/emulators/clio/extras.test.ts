import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

describe("Clio emulator billing helpers (clio-api.md §2.3, §5.0, §5.7)", () => {
  it("billable_clients pages 1..25 (default 25) and shows amount_in_trust", async () => {
    const h = harness();
    const { matterId } = await h.client();
    await h.admin("POST", "trust/deposits", { matter_id: matterId, amount: "75" });
    for (let i = 0; i < 26; i++) await h.client();
    const first = await h.api("GET", "billable_clients.json?fields=id,name,amount_in_trust");
    assert.equal(first.json.data.length, 25);
    assert.equal(first.json.data[0].amount_in_trust, 75);
    assert.ok(first.json.meta.paging.next);
    assert.equal((await h.api("GET", "billable_clients.json?limit=26")).status, 400);
  });

  it("outstanding_client_balances sums the approved bills still owed", async () => {
    const h = harness();
    const { matterId, contactId } = await h.client();
    const b1 = await h.bill(matterId, "100");
    const b2 = await h.bill(matterId, "50");
    await h.bill(matterId, "10", { state: "draft" });
    await h.admin("POST", "payments", { allocations: [{ bill_id: b1, amount: "40" }], date: "2026-01-03" });
    const r = await h.api(
      "GET",
      "outstanding_client_balances.json?fields=id,total_outstanding_balance,last_payment_date,associated_matter_ids,outstanding_bills{id}",
    );
    assert.deepEqual(r.json.data, [
      {
        id: contactId,
        total_outstanding_balance: 110,
        last_payment_date: "2026-01-03",
        associated_matter_ids: [matterId],
        outstanding_bills: [{ id: b1 }, { id: b2 }],
      },
    ]);
  });

  it("lists currencies, Clio Payments (online only: none) and the billing settings", async () => {
    const h = harness();
    assert.ok(
      (await h.api("GET", "currencies.json?fields=code")).json.data.some(
        (c: { code: string }) => c.code === "USD",
      ),
    );
    assert.deepEqual((await h.api("GET", "clio_payments/payments.json")).json.data, []);
    assert.equal((await h.api("GET", "settings/billing.json")).status, 200);
  });

  it("caps nested email addresses at 200 (4.0.11)", async () => {
    const h = harness();
    const emails = Array.from({ length: 201 }, (_, i) => ({ address: `a${i}@x.test` }));
    const r = await h.api("POST", "contacts.json", {
      data: { type: "Person", last_name: "Many", email_addresses: emails },
    });
    assert.equal(r.status, 422);
    assert.equal((await h.api("GET", "contacts.json")).json.data.length, 0, "nothing half-created");
  });
});
