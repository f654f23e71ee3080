import assert from "node:assert/strict";
import { describe, it } from "node:test";
import CLIO_SPEC from "../../clio/spec/facts.json" with { type: "json" };
import { modelledResources } from "./fields.ts";
import "./app.ts";
import { specOperation } from "./strict-spec.ts";
import { harness } from "./test-helpers.ts";

/** Strict mode: only what Clio's spec declares passes, as against the real API (clio-api.md §2.2). */
describe("Clio emulator strict spec mode", () => {
  it("is on by default", () => {
    assert.equal(harness().emulator.config.strictSpec, true);
  });

  it("answers 400 in Clio's error shape naming an undeclared query parameter", async () => {
    const h = harness();
    const order = await h.api("GET", "line_items.json?order=id(asc)");
    assert.equal(order.status, 400);
    assert.deepEqual(order.json, {
      error: { type: "InvalidParameter", message: "order is not a valid parameter" },
    });
    const bare = await h.api("GET", "contacts?ids=1,2");
    assert.equal(bare.status, 400, "ids[] is declared, ids is not");
    assert.match(bare.json.error.message, /^ids is not a valid parameter/);
    const onDelete = await h.api("DELETE", "contacts/1.json?fields=id");
    assert.equal(onDelete.status, 400, "a DELETE declares no fields");
  });

  it("answers 400 naming an undeclared field, nested ones too, even one the emulator models", async () => {
    const h = harness();
    const a = await h.client();
    const t = await h.admin("POST", "trust/deposits", { matter_id: a.matterId, amount: "10" });
    assert.equal(t.status, 201);
    const cases: Array<[string, string]> = [
      ["bank_transactions.json?fields=id,nickname", "nickname is not a valid field"],
      ["bank_transactions.json?fields=id,client{id,nickname}", "nickname is not a valid field"],
      ["bank_transactions.json?fields=id,type{id}", "type is not a valid field"],
      ["contacts.json?fields=id,matter{id}", "matter is not a valid field"],
      ["credit_memos.json?fields=id,type", "type is not a valid field"], // modelled, not in the spec
      ["allocations.json?fields=id,parent{id,amount}", "amount is not a valid field"],
    ];
    for (const [path, message] of cases) {
      const r = await h.api("GET", path);
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.json, { error: { type: "InvalidFields", message } }, path);
    }
  });

  it("accepts everything the spec declares, with or without .json, a field it does not model reading null", async () => {
    const h = harness();
    const a = await h.client();
    const ok = [
      `contacts/${a.contactId}.json?custom_field_ids[]=3&fields=id,avatar`,
      `contacts?ids[]=${a.contactId}&custom_field_values[7]=>1&limit=5&order=id(asc)&fields=id,name,avatar`,
      "contacts?offset=0", // documented outside the spec (§2.3)
      `matters/${a.matterId}/client.json?fields=id,name`,
      "users/who_am_i?fields=id,name",
      "bank_accounts.json?type=TrustAccount&show_empty_accounts=true&fields=id,user{id}",
    ];
    for (const path of ok) {
      const r = await h.api("GET", path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
    }
    const shown = await h.api("GET", `contacts/${a.contactId}?fields=id,avatar`);
    assert.deepEqual(shown.json.data, { id: a.contactId, avatar: null });
  });

  it("lets the emulator's own extensions through only when strictSpec is off", async () => {
    const strict = harness();
    const loose = harness({ strictSpec: false });
    for (const h of [strict, loose]) {
      const r = await h.api("GET", "line_items.json?order=id(asc)&fields=id");
      assert.equal(r.status, h === strict ? 400 : 200);
    }
    const unmodelled = await loose.api("GET", "contacts.json?fields=avatar");
    assert.equal(unmodelled.status, 400, "off, the emulator's own field list is the rule");
  });

  it("models no field outside the spec but a known few, which only strictSpec off serves", () => {
    const specName: Record<string, string> = {
      currency_row: "Currency",
      allocation_parent: "PolymorphicObject",
    };
    const adminOnly = new Set(["payment"]); // the admin API's payment answers; Clio has no payments endpoint
    const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    const extensions: string[] = [];
    for (const r of modelledResources()) {
      if (adminOnly.has(r.name)) continue;
      const resources = CLIO_SPEC.resources as Record<string, { fields: string[]; associations: object }>;
      const facts = resources[specName[r.name] ?? pascal(r.name)];
      assert.ok(facts, `${r.name} is a resource of the spec`);
      for (const f of r.fields)
        if (!facts.fields.includes(f) && !(f in facts.associations)) extensions.push(`${r.name}.${f}`);
    }
    // clio-api.md §5.6 describes a payment parent richer than the spec's PolymorphicObject.
    assert.deepEqual(extensions.sort(), [
      "allocation_parent.amount",
      "allocation_parent.created_at",
      "allocation_parent.date",
      "allocation_parent.description",
      "allocation_parent.etag",
      "allocation_parent.reference",
      "allocation_parent.source_fund_type",
      "allocation_parent.updated_at",
      "allocation_parent.voided_at",
      "clio_payments_payment.etag",
      "credit_memo.type",
    ]);
  });

  it("leaves the admin API alone", async () => {
    const h = harness();
    assert.equal((await h.admin("GET", "summary?verbose=1")).status, 200);
  });

  it("finds the spec's operation, literal segments before parameters", () => {
    assert.equal(specOperation("GET", "/api/v4/users/who_am_i.json")?.key, "GET /users/who_am_i");
    assert.equal(specOperation("GET", "/api/v4/users/5")?.key, "GET /users/{}");
    assert.equal(specOperation("PUT", "/api/v4/webhooks/5/activate")?.key, "PUT /webhooks/{}/activate");
    assert.equal(specOperation("POST", "/api/v4/bills.json"), undefined);
  });
});
