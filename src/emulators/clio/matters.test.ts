import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

describe("Clio emulator matters (clio-api.md §5.2)", () => {
  it("requires client{id} and description on create", async () => {
    const h = harness();
    const { contactId } = await h.client();
    assert.equal((await h.api("POST", "matters.json", { data: { description: "x" } })).status, 422);
    assert.equal((await h.api("POST", "matters.json", { data: { client: { id: contactId } } })).status, 422);
    const ok = await h.api("POST", "matters.json?fields=status,client{id},display_number", {
      data: { client: { id: contactId }, description: "Estate", status: "pending" },
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.json.data.status, "Pending");
    assert.equal(ok.json.data.client.id, contactId);
    assert.equal(typeof ok.json.data.display_number, "string");
  });

  it("writes status lowercase and reads it capitalised", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const r = await h.api("PATCH", `matters/${matterId}.json?fields=status`, { data: { status: "closed" } });
    assert.equal(r.json.data.status, "Closed");
    assert.equal(
      (await h.api("PATCH", `matters/${matterId}.json`, { data: { status: "Closed" } })).status,
      422,
    );
  });

  it("filters status with lowercase comma-separated values; a capitalised value is refused", async () => {
    const h = harness();
    const a = await h.client();
    const b = await h.client();
    await h.api("PATCH", `matters/${b.matterId}.json`, { data: { status: "pending" } });
    const both = await h.api("GET", "matters.json?status=open,pending&fields=id");
    assert.equal(both.json.data.length, 2);
    const open = await h.api("GET", "matters.json?status=open&fields=id");
    assert.deepEqual(open.json.data, [{ id: a.matterId }]);
    assert.equal((await h.api("GET", "matters.json?status=Open")).status, 400);
    const byClient = await h.api("GET", `matters.json?client_id=${b.contactId}&fields=id`);
    assert.deepEqual(byClient.json.data, [{ id: b.matterId }]);
  });
});
