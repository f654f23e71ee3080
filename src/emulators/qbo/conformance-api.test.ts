/** Conformance with reference/qbo-api.md §14 items 5–7 (query engine, batch, CDC, requestid, throttling). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kit } from "./test-kit.ts";

describe("§14.5 query engine", () => {
  it("accepts any keyword/entity case, ORDERBY and ORDER BY, IN, LIKE, comparisons and COUNT", async () => {
    const t = kit();
    for (const n of ["Carol", "alice", "Bob", "Dave"])
      await t.create("Customer", { DisplayName: n, CompanyName: `${n} Co` });
    const r = await t.query(
      "select * from customer where DisplayName in ('alice','Bob') orderby DisplayName desc",
    );
    assert.deepEqual(
      r.body.QueryResponse.Customer.map((c: { DisplayName: string }) => c.DisplayName),
      ["Bob", "alice"],
    );
    const r2 = await t.query("SELECT * FROM Customer WHERE CompanyName LIKE '%a%' ORDER BY DisplayName ASC");
    assert.deepEqual(
      r2.body.QueryResponse.Customer.map((c: { DisplayName: string }) => c.DisplayName),
      ["alice", "Carol", "Dave"],
    );
    const count = await t.query("SELECT COUNT(*) FROM Customer WHERE Id > '0'");
    assert.deepEqual(count.body.QueryResponse, { totalCount: 4 });
    const none = await t.query("select * from Customer where DisplayName = 'Nobody'");
    assert.deepEqual(none.body.QueryResponse, {});
  });

  it("unescapes \\' and \\\\ in string literals; a trailing backslash or unescaped quote is 4000", async () => {
    const t = kit();
    await t.create("Customer", { DisplayName: "O'Brien \\ Sons" });
    const r = await t.query("select * from Customer where DisplayName = 'O\\'Brien \\\\ Sons'");
    assert.equal(r.body.QueryResponse.Customer[0].DisplayName, "O'Brien \\ Sons");
    assert.equal(t.faultCode(await t.query("select * from Customer where DisplayName = 'O'Brien'")), "4000");
    assert.equal(t.faultCode(await t.query("select * from Customer where DisplayName = 'abc\\")), "4000");
    assert.equal(t.faultCode(await t.query("select * from Customer where DisplayName = ’x’")), "4000");
  });

  it("4001 for a non-filterable property or MAXRESULTS over 1000", async () => {
    const t = kit();
    const r = await t.query("select * from Customer where AcctNum = '1'");
    assert.equal(t.faultCode(r), "4001");
    assert.match(r.body.Fault.Error[0].Detail, /property 'AcctNum' is not queryable/);
    const big = await t.query("select * from Customer maxresults 1500");
    assert.match(big.body.Fault.Error[0].Detail, /value 1500 is too large. Max allowed value is 1000/);
  });

  it("MAXRESULTS over 1000 is fault 4001 (invalid query), never 4000 (parse error), in every form", async () => {
    const t = kit();
    await t.create("Customer", { DisplayName: "Paged" });
    const forms = [
      "select * from Customer maxresults 1001",
      "SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 5000",
      "select * from Customer MAXRESULTS 5000 STARTPOSITION 1",
      "select * from Customer where DisplayName = 'Paged' orderby DisplayName desc maxresults 1500",
      "select * from Customer where MetaData.LastUpdatedTime > '2020-01-01' maxresults 1500",
      "select count(*) from Customer maxresults 2000",
    ];
    for (const q of forms) {
      assert.equal(t.faultCode(await t.query(q)), "4001", `GET ${q}`);
      const posted = await t.call("POST", "/query", q, { "content-type": "application/text" });
      assert.equal(posted.status, 400);
      assert.equal(t.faultCode(posted), "4001", `POST ${q}`);
    }
    const batch = await t.post("/batch", {
      BatchItemRequest: [{ bId: "q1", Query: "select * from Customer maxresults 1500" }],
    });
    assert.equal(batch.body.BatchItemResponse[0].Fault.Error[0].code, "4001");
    const ok = await t.query("select * from Customer maxresults 1000");
    assert.equal(ok.body.QueryResponse.Customer.length, 1, "1000 itself is allowed");
  });

  it("hides inactive name-list records unless asked; pages with STARTPOSITION/MAXRESULTS (default 100)", async () => {
    const t = kit();
    const ids: string[] = [];
    for (let i = 0; i < 105; i++)
      ids.push((await t.create("Customer", { DisplayName: `C${String(i).padStart(3, "0")}` })).Id);
    await t.post("/customer", { Id: ids[0], SyncToken: "0", sparse: true, Active: false });
    const def = await t.query("select * from Customer");
    assert.equal(def.body.QueryResponse.maxResults, 100);
    assert.equal(def.body.QueryResponse.startPosition, 1);
    const page2 = await t.query("select * from Customer startposition 101 maxresults 10");
    assert.equal(page2.body.QueryResponse.Customer.length, 4);
    const inactive = await t.query("select * from Customer where Active = false");
    assert.deepEqual(
      inactive.body.QueryResponse.Customer.map((c: { Id: string }) => c.Id),
      [ids[0]],
    );
    const both = await t.query("select count(*) from Customer where Active in (true, false)");
    assert.equal(both.body.QueryResponse.totalCount, 105);
  });

  it("filters MetaData.LastUpdatedTime and references; POST form with application/text", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Ref" });
    await t.create("Invoice", t.invoiceBody(c.Id, 10));
    await t.clock.advance(60_000);
    const later = await t.create("Invoice", t.invoiceBody(c.Id, 20));
    const r = await t.call(
      "POST",
      "/query",
      `select * from Invoice where CustomerRef = '${c.Id}' and Metadata.LastUpdatedTime > '${later.MetaData.CreateTime.replace(/:\d\d-/, ":00-").replace("T", "T")}' `,
      { "content-type": "application/text" },
    );
    assert.equal(r.status, 200);
    const all = await t.call(
      "POST",
      "/query",
      `select * from Invoice where CustomerRef = '${c.Id}' and TotalAmt >= 10`,
      { "content-type": "application/text" },
    );
    assert.equal(all.body.QueryResponse.Invoice.length, 2);
    const since = await t.query(
      `select * from Invoice where MetaData.LastUpdatedTime >= '${later.MetaData.LastUpdatedTime}'`,
    );
    assert.deepEqual(
      since.body.QueryResponse.Invoice.map((i: { Id: string }) => i.Id),
      [later.Id],
    );
  });

  it("deleted transactions vanish from queries", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Gone" });
    const inv = await t.create("Invoice", t.invoiceBody(c.Id));
    await t.post("/invoice?operation=delete", { Id: inv.Id, SyncToken: inv.SyncToken });
    assert.deepEqual((await t.query("select * from Invoice")).body.QueryResponse, {});
  });
});

describe("§14.6 batch and CDC", () => {
  it("runs independent items with per-item Fault, queries and optionsData", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Batch" });
    await t.create("Invoice", t.invoiceBody(c.Id, 5, { DocNumber: "B-1" }));
    const r = await t.post("/batch", {
      BatchItemRequest: [
        { bId: "c1", operation: "create", Customer: { DisplayName: "Batch" } },
        { bId: "c2", operation: "create", Customer: { DisplayName: "Batch Two" } },
        { bId: "i1", operation: "create", Invoice: t.invoiceBody(c.Id, 5, { DocNumber: "B-1" }) },
        {
          bId: "i2",
          operation: "create",
          Invoice: t.invoiceBody(c.Id, 5, { DocNumber: "B-1" }),
          optionsData: "include=allowduplicatedocnum",
        },
        { bId: "q1", Query: "select * from Invoice where DocNumber = 'B-1'" },
      ],
    });
    assert.equal(r.status, 200);
    const items = Object.fromEntries(r.body.BatchItemResponse.map((x: { bId: string }) => [x.bId, x]));
    assert.equal(items.c1.Fault.Error[0].code, "6240");
    assert.equal(items.c2.Customer.DisplayName, "Batch Two");
    assert.equal(items.i1.Fault.Error[0].code, "6140");
    assert.ok(items.i2.Invoice.Id);
    assert.ok(items.q1.QueryResponse.Invoice.length >= 1);
  });

  it("1040 beyond 30 items; an empty batch is malformed", async () => {
    const t = kit();
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `q${i}`, Query: "select * from Customer" }));
    const r = await t.post("/batch", { BatchItemRequest: items });
    assert.equal(t.faultCode(r), "1040");
    assert.equal(t.faultCode(await t.post("/batch", { BatchItemRequest: [] })), "400");
  });

  it("CDC returns changes since a time, deleted stubs after live records, and rejects > 30 days", async () => {
    const t = kit();
    const c = await t.create("Customer", { DisplayName: "Cdc" });
    const since = new Date(t.clock.now()).toISOString();
    await t.clock.advance(1000);
    const inv = await t.create("Invoice", t.invoiceBody(c.Id));
    const inv2 = await t.create("Invoice", t.invoiceBody(c.Id));
    await t.post("/invoice?operation=delete", { Id: inv2.Id, SyncToken: inv2.SyncToken });
    const r = await t.get(`/cdc?entities=Customer,Invoice&changedSince=${encodeURIComponent(since)}`);
    assert.equal(r.status, 200);
    const groups = r.body.CDCResponse[0].QueryResponse;
    assert.deepEqual(groups[0], {});
    const invs = groups[1].Invoice;
    assert.equal(invs[0].Id, inv.Id);
    assert.deepEqual(invs[1].status, "Deleted");
    assert.equal(invs[1].Id, inv2.Id);
    assert.ok(invs[1].MetaData.LastUpdatedTime);
    const old = new Date(t.clock.now() - 31 * 86400_000).toISOString();
    assert.equal(
      t.faultCode(await t.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(old)}`)),
      "4001",
    );
  });

  it("CDC caps a response at 1000 objects, in all across its entities (Intuit's CDC page)", async () => {
    const t = kit();
    const since = new Date(t.clock.now() - 1000).toISOString();
    const realm = t.emu.core.realm(t.realm)!;
    const { createEntity } = await import("./operations.ts");
    for (let i = 0; i < 1005; i++)
      createEntity(t.emu.core.context(realm), "Customer", { DisplayName: `Bulk ${i}` });
    const r = await t.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(since)}`);
    assert.equal(r.body.CDCResponse[0].QueryResponse[0].Customer.length, 1000);
    // "Server responses can handle a maximum of 1,000 objects": one answer, not one entity.
    await t.create("Invoice", t.invoiceBody(r.body.CDCResponse[0].QueryResponse[0].Customer[0].Id));
    const both = await t.get(`/cdc?entities=Customer,Invoice&changedSince=${encodeURIComponent(since)}`);
    const [customers, invoices] = both.body.CDCResponse[0].QueryResponse;
    assert.equal(customers.Customer.length, 1000);
    assert.deepEqual(invoices, {}, "the invoice is cut: the answer is full");
    const alone = await t.get(`/cdc?entities=Invoice&changedSince=${encodeURIComponent(since)}`);
    assert.equal(alone.body.CDCResponse[0].QueryResponse[0].Invoice.length, 1);
  });
});

describe("§14.7 requestid replay, throttling, timeout knob", () => {
  it("a repeated requestid returns the original response without executing again", async () => {
    const t = kit();
    const a = await t.post("/customer?requestid=req-1", { DisplayName: "Once" });
    const b = await t.post("/customer?requestid=req-1", { DisplayName: "Once" });
    assert.equal(b.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.equal(
      (await t.query("select count(*) from Customer where DisplayName = 'Once'")).body.QueryResponse
        .totalCount,
      1,
    );
    const f1 = await t.post("/customer?requestid=req-2", { DisplayName: "Once" });
    assert.equal(t.faultCode(f1), "6240");
    assert.deepEqual((await t.post("/customer?requestid=req-2", { DisplayName: "Other" })).body, f1.body);
  });

  it("429 with fault 3001 past the per-minute quota, refilled with time (scaled)", async () => {
    const t = kit({ quotas: { perMinute: 3 } });
    for (let i = 0; i < 3; i++) assert.equal((await t.get("/preferences")).status, 200);
    const r = await t.get("/preferences");
    assert.equal(r.status, 429);
    assert.equal(r.body.fault.error[0].code, "3001");
    assert.match(r.body.fault.error[0].message, /ThrottleExceeded/);
    await t.clock.advance(20_000);
    assert.equal((await t.get("/preferences")).status, 200);
    await t.call("PUT", "/__admin/quotas", { perMinute: 1, timeScale: 60, xmlThrottle: true });
    await t.get("/preferences");
    const xml = await t.get("/preferences");
    assert.equal(xml.status, 429);
    assert.match(xml.body.text, /<Error code="3001">/);
    await t.clock.advance(1000);
    assert.equal((await t.get("/preferences")).status, 200);
  });

  it("40 batch requests per minute and 10 concurrent requests", async () => {
    const t = kit({ quotas: { batchPerMinute: 2, concurrent: 1 } });
    const batch = { BatchItemRequest: [{ bId: "q", Query: "select * from Account maxresults 1" }] };
    assert.equal((await t.post("/batch", batch)).status, 200);
    assert.equal((await t.post("/batch", batch)).status, 200);
    assert.equal((await t.post("/batch", batch)).status, 429);
    await t.call("PUT", "/__admin/faults", {
      rules: [{ kind: "slow", path: "/preferences", delayMs: 5000, count: 1 }],
    });
    const slow = t.get("/preferences");
    await new Promise((r) => setImmediate(r));
    assert.equal((await t.get("/companyinfo/1")).status, 429);
    await t.clock.advance(5000);
    assert.equal((await slow).status, 200);
    assert.equal((await t.get("/companyinfo/1")).status, 200);
  });

  it("timeout fault answers 504 after the configured delay", async () => {
    const t = kit();
    await t.call("PUT", "/__admin/faults", {
      rules: [{ kind: "timeout", path: "/invoice", count: 1, delayMs: 120_000 }],
    });
    const pending = t.get("/invoice/1");
    let done = false;
    void pending.then(() => {
      done = true;
    });
    await t.clock.advance(119_000);
    assert.equal(done, false);
    await t.clock.advance(1000);
    assert.equal((await pending).status, 504);
  });
});
