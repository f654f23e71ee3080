import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuditEntry, MirrorWrite } from "../../store/port.ts";
import { dashboardApp } from "../../testing/dashboard-app.ts";
import { AUDIT_PAGE_SIZE } from "./audit.ts";

const DAY = 86_400_000;
const MARCH_1 = Date.parse("2026-03-01T09:00:00Z");

const mirror = (kind: MirrorWrite["kind"], id: string, data: object): MirrorWrite => ({
  kind,
  id,
  parentId: null,
  etag: "e",
  data: { id: Number(id), ...data } as MirrorWrite["data"],
});

const entry = (at: number, over: Partial<AuditEntry>): AuditEntry => ({
  at,
  runId: "run-1",
  requestId: `req-${at}`,
  entity: "customer",
  action: "update",
  clioId: "11",
  qboId: "58",
  outcome: "ok",
  ...over,
});

/**
 * Jane Doe (Clio 11 → QuickBooks 58) was created on March 1 and her email changed 54 times since,
 * one a day; Acme's bill A-7 (Clio 301) became invoice 88 on March 3. Acme's name is hostile.
 */
async function withLog() {
  const d = await dashboardApp();
  const emailChanges = Array.from({ length: AUDIT_PAGE_SIZE + 4 }, (_, i) =>
    entry(MARCH_1 + (i + 1) * DAY, {
      before: { email: `jane${i}@example.test` },
      after: { PrimaryEmailAddr: { Address: `jane${i + 1}@example.test` } },
    }),
  );
  await d.store.commit(
    {
      mirror: [
        mirror("contact", "11", { type: "Person", first_name: "Jane", last_name: "Doe" }),
        mirror("contact", "12", { type: "Company", name: "=Acme Law" }),
        mirror("bill", "301", { number: "A-7", total: 100, client: { id: 12 } }),
      ],
      audit: [
        entry(MARCH_1, { action: "create", after: { DisplayName: "Jane Doe (Clio 11)" } }),
        entry(MARCH_1 + 2 * DAY + 1, {
          entity: "invoice",
          action: "create",
          clioId: "301",
          qboId: "88",
          after: { DocNumber: "A-7", TotalAmt: 100 },
        }),
        ...emailChanges,
      ],
    },
    1,
  );
  const { cookie } = await d.session();
  const get = (path: string) => d.request(path, { cookie });
  const ids = (text: string) => [...text.matchAll(/id="audit-(\d+)"/g)].map((m) => Number(m[1]));
  return { ...d, get, ids };
}

describe("the Audit log page", () => {
  it("lists the newest entries first, each with the client's name and its before/after", async () => {
    const d = await withLog();
    const text = await (await d.get("/audit")).text();
    assert.equal(d.ids(text).length, AUDIT_PAGE_SIZE);
    assert.equal(d.ids(text)[0], AUDIT_PAGE_SIZE + 6, "the newest first");
    assert.match(text, /customer update<\/strong> — Jane Doe/);
    assert.match(
      text,
      /<td>PrimaryEmailAddr<\/td><td>jane53@example\.test<\/td><td>jane54@example\.test<\/td>/,
    );
  });

  it("pages to older entries and back to the newest", async () => {
    const d = await withLog();
    const first = await (await d.get("/audit?client=jane")).text();
    const older = /href="(\/audit\?client=jane&amp;before=\d+)">Older entries/.exec(first)?.[1];
    assert.ok(older, "a link to the next page");
    const second = await (await d.get(older.replaceAll("&amp;", "&"))).text();
    assert.deepEqual(d.ids(second), [6, 5, 4, 3, 1], "the other 5 of Jane's 55 entries");
    assert.doesNotMatch(second, /Older entries/);
    assert.match(second, /href="\/audit\?client=jane">Newest/);
  });

  it("finds a record by its Clio or its QuickBooks id", async () => {
    const d = await withLog();
    assert.deepEqual(d.ids(await (await d.get("/audit?record=301")).text()), [2]);
    assert.deepEqual(d.ids(await (await d.get("/audit?record=88")).text()), [2]);
    const jane = d.ids(await (await d.get("/audit?record=58")).text());
    assert.equal(jane.length, AUDIT_PAGE_SIZE);
    assert.ok(!jane.includes(2));
  });

  it("finds a client's entries by part of the name, a bill's too, and by dates (both days included)", async () => {
    const d = await withLog();
    const acme = await (await d.get("/audit?client=ACME")).text();
    assert.deepEqual(d.ids(acme), [2], "the invoice of Acme's bill");
    assert.match(acme, /bill A-7 · =Acme Law · 100\.00/);
    assert.deepEqual(d.ids(await (await d.get("/audit?from=2026-03-02&to=2026-03-03")).text()), [4, 3, 2]);
    assert.deepEqual(d.ids(await (await d.get("/audit?client=jane&to=2026-03-02")).text()), [3, 1]);
    assert.match(await (await d.get("/audit?client=nobody")).text(), /No entries match/);
  });

  it("re-renders the form with a message on a date that is no date", async () => {
    const d = await withLog();
    const response = await d.get("/audit?from=2026-02-30&client=jane");
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.match(text, /name="from" value="2026-02-30"[^>]*aria-invalid="true"/);
    assert.match(text, /<small id="from-problem">expected a date as YYYY-MM-DD<\/small>/);
    assert.match(text, /name="client" value="jane"/);
    assert.equal(d.ids(text).length, 0);
    assert.equal((await d.get("/audit.csv?to=soon")).status, 400);
  });

  it("exports the filtered entries as CSV, as an attachment, with formulas defused", async () => {
    const d = await withLog();
    const response = await d.get("/audit.csv?client=acme");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="audit-log.csv"');
    const lines = (await response.text()).trim().split("\n");
    assert.equal(lines.length, 2, "the header and Acme's one entry");
    assert.match(lines[0]!, /^seq,at,outcome,entity,action,client,bill_number,amount,clio_id,qbo_id,/);
    assert.match(
      lines[1]!,
      /^2,2026-03-03T09:00:00\.001Z,ok,invoice,create,'=Acme Law,A-7,100\.00,301,88,req-\d+,run-1,,set DocNumber: A-7; TotalAmt: 100,/,
    );
    const all = (await (await d.get("/audit.csv")).text()).trim().split("\n");
    assert.equal(all.length, 1 + AUDIT_PAGE_SIZE + 6, "every entry, not one page");
  });
});
