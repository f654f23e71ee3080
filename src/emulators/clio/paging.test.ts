import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Harness, harness } from "./test-helpers.ts";

async function contacts(h: Harness, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await h.admin("POST", "contacts", { type: "Company", name: `Co ${i}` })).json.data.id);
  }
  return ids;
}

describe("Clio emulator pagination and filters (clio-api.md §2.3, §2.4)", () => {
  it("defaults to 200 per page, accepts 1..200 and rejects more", async () => {
    const h = harness();
    await contacts(h, 205);
    const first = await h.api("GET", "contacts.json");
    assert.equal(first.json.data.length, 200);
    assert.ok(first.json.meta.paging.next);
    assert.equal((await h.api("GET", "contacts.json?limit=201")).status, 400);
    assert.equal((await h.api("GET", "contacts.json?limit=0")).status, 400);
  });

  it("follows meta.paging.next (a full URL with page_token) to the end without gaps or repeats", async () => {
    const h = harness();
    const ids = await contacts(h, 23);
    const seen: number[] = [];
    let url: string | undefined = "/api/v4/contacts.json?limit=5&order=id(asc)&fields=id,name";
    let pages = 0;
    while (url) {
      const r = await h.api("GET", url.replace(/^http:\/\/localhost/, ""));
      seen.push(...r.json.data.map((c: { id: number }) => c.id));
      url = r.json.meta.paging.next;
      if (url) {
        assert.match(url, /^http:\/\/localhost\/api\/v4\/contacts\.json\?.*page_token=/);
        assert.match(url, /fields=id%2Cname/);
      }
      pages++;
    }
    assert.equal(pages, 5);
    assert.deepEqual(seen, ids);
  });

  it("keeps a cursor stable when records are added behind it", async () => {
    const h = harness();
    await contacts(h, 6);
    const first = await h.api("GET", "contacts.json?limit=3");
    await contacts(h, 2);
    const second = await h.api("GET", first.json.meta.paging.next.replace("http://localhost", ""));
    assert.equal(second.json.data.length, 3);
    assert.ok(second.json.data[0].id > first.json.data[2].id);
  });

  it("offset mode works and is capped at 10,000 records (422 ArgumentError)", async () => {
    const h = harness();
    await contacts(h, 12);
    const r = await h.api("GET", "contacts.json?limit=5&offset=5");
    assert.equal(r.json.data.length, 5);
    assert.match(r.json.meta.paging.next, /offset=10/);
    const capped = await h.api("GET", "contacts.json?offset=10000");
    assert.equal(capped.status, 422);
    assert.equal(capped.json.error.type, "ArgumentError");
  });

  it("orders allocations and credit memos by date(asc) by default, id(asc) on request", async () => {
    const h = harness();
    const { matterId } = await h.client();
    const b1 = await h.bill(matterId, "500");
    await h.admin("POST", "payments", { allocations: [{ bill_id: b1, amount: "10" }], date: "2026-03-01" });
    await h.admin("POST", "payments", { allocations: [{ bill_id: b1, amount: "10" }], date: "2026-02-01" });
    await h.admin("POST", "credit_memos", {
      allocations: [{ bill_id: b1, amount: "5" }],
      date: "2026-03-05",
    });
    await h.admin("POST", "credit_memos", {
      allocations: [{ bill_id: b1, amount: "5" }],
      date: "2026-01-05",
    });
    const byDate = await h.api("GET", "allocations.json?fields=id,date");
    assert.deepEqual(
      byDate.json.data.map((a: { date: string }) => a.date),
      ["2026-01-05", "2026-02-01", "2026-03-01", "2026-03-05"],
    );
    const byId = await h.api("GET", "allocations.json?fields=id&order=id(asc)");
    const ids = byId.json.data.map((a: { id: number }) => a.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    const memos = await h.api("GET", "credit_memos.json?fields=date");
    assert.deepEqual(
      memos.json.data.map((m: { date: string }) => m.date),
      ["2026-01-05", "2026-03-05"],
    );
  });

  it("rejects an order the endpoint does not list", async () => {
    const h = harness();
    assert.equal((await h.api("GET", "contacts.json?order=bogus(asc)")).status, 400);
  });

  it("filters updated_since strictly after by default, inclusively when configured", async () => {
    for (const inclusive of [false, true]) {
      const h = harness({ sinceInclusive: inclusive });
      const [a] = await contacts(h, 1);
      await h.clock.advance(60_000);
      const [b] = await contacts(h, 1);
      const at = new Date(h.clock.now()).toISOString();
      const r = await h.api("GET", `contacts.json?updated_since=${encodeURIComponent(at)}`);
      assert.deepEqual(
        r.json.data.map((c: { id: number }) => c.id),
        inclusive ? [b] : [],
      );
      const all = await h.api("GET", `contacts.json?created_since=2025-12-31T00:00:00Z`);
      assert.deepEqual(
        all.json.data.map((c: { id: number }) => c.id),
        [a, b],
      );
    }
  });

  it("updated_since sees a PATCH", async () => {
    const h = harness();
    const [a, b] = await contacts(h, 2);
    await h.clock.advance(5000);
    const since = new Date(h.clock.now() - 1000).toISOString();
    await h.api("PATCH", `contacts/${b}.json`, { data: { name: "Renamed" } });
    const r = await h.api("GET", `contacts.json?updated_since=${since}`);
    assert.deepEqual(
      r.json.data.map((c: { id: number }) => c.id),
      [b],
    );
    assert.notEqual(a, b);
  });

  it("filters by ids[]", async () => {
    const h = harness();
    const ids = await contacts(h, 5);
    const r = await h.api("GET", `contacts.json?ids[]=${ids[1]}&ids[]=${ids[3]}`);
    assert.deepEqual(
      r.json.data.map((c: { id: number }) => c.id),
      [ids[1], ids[3]],
    );
  });
});
