import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

describe("Clio emulator ETags (clio-api.md §2.5)", () => {
  it("gives every record a quoted 32-hex etag that changes on every write", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const a = await h.api("GET", `contacts/${contactId}.json`);
    assert.match(a.json.data.etag, /^"[0-9a-f]{32}"$/);
    await h.api("PATCH", `contacts/${contactId}.json`, { data: { first_name: "Dan" } });
    const b = await h.api("GET", `contacts/${contactId}.json`);
    assert.notEqual(a.json.data.etag, b.json.data.etag);
  });

  it("sends ETag and Last-Modified on single-record responses", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const r = await h.api("GET", `contacts/${contactId}.json`);
    assert.equal(r.headers.get("ETag"), r.json.data.etag);
    assert.ok(Date.parse(r.headers.get("Last-Modified") ?? ""));
  });

  it("answers a conditional GET with 304 when unchanged, 200 after a change", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const { json, headers } = await h.api("GET", `contacts/${contactId}.json`);
    const same = await h.api("GET", `contacts/${contactId}.json`, undefined, {
      "If-None-Match": json.data.etag,
    });
    assert.equal(same.status, 304);
    assert.equal(same.text, "");
    const since = await h.api("GET", `contacts/${contactId}.json`, undefined, {
      "If-Modified-Since": headers.get("Last-Modified")!,
    });
    assert.equal(since.status, 304);
    await h.clock.advance(2000);
    await h.api("PATCH", `contacts/${contactId}.json`, { data: { first_name: "X" } });
    const changed = await h.api("GET", `contacts/${contactId}.json`, undefined, {
      "If-None-Match": json.data.etag,
    });
    assert.equal(changed.status, 200);
  });

  it("PATCH with If-Match succeeds on a match and fails 412 when the record changed", async () => {
    const h = harness();
    const { contactId } = await h.client();
    const etag = (await h.api("GET", `contacts/${contactId}.json`)).json.data.etag;
    const okPatch = await h.api(
      "PATCH",
      `contacts/${contactId}.json`,
      { data: { first_name: "A" } },
      { "If-Match": etag },
    );
    assert.equal(okPatch.status, 200);
    const stale = await h.api(
      "PATCH",
      `contacts/${contactId}.json`,
      { data: { first_name: "B" } },
      { "If-Match": etag },
    );
    assert.equal(stale.status, 412);
    const unconditional = await h.api("PATCH", `contacts/${contactId}.json`, { data: { first_name: "C" } });
    assert.equal(unconditional.status, 200);
  });
});
