import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

describe("Clio emulator conventions (clio-api.md §1.2, §2.1, §2.2, §4)", () => {
  it("serves paths with and without .json", async () => {
    const h = harness();
    const { contactId } = await h.client();
    assert.equal((await h.api("GET", `contacts/${contactId}.json`)).status, 200);
    assert.equal((await h.api("GET", `contacts/${contactId}`)).status, 200);
    assert.equal((await h.api("GET", "contacts.json")).status, 200);
  });

  it("wraps single records in {data} and lists in {data, meta.paging}", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const one = await h.api("GET", `contacts/${contactId}.json`);
    assert.deepEqual(Object.keys(one.json), ["data"]);
    const list = await h.api("GET", "contacts.json");
    assert.ok(Array.isArray(list.json.data));
    assert.deepEqual(list.json.meta, { paging: {} });
  });

  it("returns only id and etag without fields", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const r = await h.api("GET", `contacts/${contactId}.json`);
    assert.deepEqual(Object.keys(r.json.data).sort(), ["etag", "id"]);
  });

  it("selects fields, one level of braces, and default fields for bare associations", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const r = await h.api("GET", `matters/${matterId}.json?fields=id,display_number,client{id,name,type}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json.data.client).sort(), ["id", "name", "type"]);
    const bare = await h.api("GET", `matters/${matterId}.json?fields=id,client`);
    assert.deepEqual(Object.keys(bare.json.data.client).sort(), ["etag", "id"]);
    const second = await h.api("GET", "bills.json?fields=id,matters{id,client}");
    assert.equal(second.status, 200, "a second-level association named bare is allowed");
  });

  it("rejects braces deeper than one level with 400", async () => {
    const h = harness();
    const r = await h.api("GET", "matters.json?fields=id,client{company{name}}");
    assert.equal(r.status, 400);
    assert.ok(r.json.error.type);
  });

  it("rejects the whole request on an unknown field (400, '<field> is not a valid field')", async () => {
    const h = harness();
    await h.client();
    const r = await h.api("GET", "contacts.json?fields=id,name,bogus");
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /bogus is not a valid field/);
    const nested = await h.api("GET", "matters.json?fields=id,client{nope}");
    assert.match(nested.json.error.message, /nope is not a valid field/);
  });

  it("writes return 201/200 with id and etag only, unless fields is on the URL; DELETE is 204", async () => {
    const h = harness();
    const created = await h.api("POST", "contacts.json", { data: { type: "Company", name: "Acme" } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.json.data).sort(), ["etag", "id"]);
    const withFields = await h.api("POST", "contacts.json?fields=id,name,type", {
      data: { type: "Company", name: "Beta" },
    });
    assert.equal(withFields.json.data.name, "Beta");
    const patched = await h.api("PATCH", `contacts/${created.json.data.id}.json?fields=name`, {
      data: { name: "Acme 2" },
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.json.data, { name: "Acme 2" });
    const del = await h.api("DELETE", `contacts/${created.json.data.id}.json`);
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
  });

  it("requires the {data} envelope on writes", async () => {
    const h = harness();
    const r = await h.api("POST", "contacts.json", { type: "Company", name: "Acme" });
    assert.equal(r.status, 400);
  });

  it("uses the Error body shape {error:{type,message}}", async () => {
    const h = harness();
    const r = await h.api("GET", "contacts/999999.json");
    assert.equal(r.status, 404);
    assert.equal(typeof r.json.error.type, "string");
    assert.equal(typeof r.json.error.message, "string");
  });

  it("echoes X-API-VERSION, defaults to 4.0.9, and answers 410 to an invalid or retired version", async () => {
    const h = harness({ supportedVersions: ["4.0.9", "4.0.10"] });
    assert.equal((await h.api("GET", "contacts.json")).headers.get("X-API-VERSION"), "4.0.9");
    assert.equal(
      (await h.api("GET", "contacts.json", undefined, { "X-API-VERSION": "4.0.10" })).headers.get(
        "X-API-VERSION",
      ),
      "4.0.10",
    );
    assert.equal((await h.api("GET", "contacts.json", undefined, { "X-API-VERSION": "9.9.9" })).status, 410);
    assert.equal((await h.api("GET", "contacts.json", undefined, { "X-API-VERSION": "4.0.3" })).status, 410);
  });

  it("answers JSON", async () => {
    const h = harness();
    const r = await h.api("GET", "contacts.json");
    assert.match(r.headers.get("content-type") ?? "", /application\/json/);
  });

  it("reports activity time quantities in seconds from 4.0.4 and hours before", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const a = await h.api("POST", "activities.json?fields=id,quantity,quantity_in_hours", {
      data: { type: "TimeEntry", date: "2026-01-02", quantity: 5400, matter: { id: matterId } },
    });
    assert.equal(a.json.data.quantity, 5400);
    assert.equal(a.json.data.quantity_in_hours, 1.5);
    const old = await h.api("GET", `activities/${a.json.data.id}.json?fields=quantity`, undefined, {
      "X-API-VERSION": "4.0.3",
    });
    assert.equal(old.json.data.quantity, 1.5);
  });
});
