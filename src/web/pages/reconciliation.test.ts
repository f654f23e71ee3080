import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReconcileReport } from "../../engine/reconcile.ts";
import { RECONCILE_LAST_REPORT_KV } from "../../engine/reconcile-stored.ts";
import type { MirrorWrite } from "../../store/port.ts";
import { dashboardApp } from "../../testing/dashboard-app.ts";

const zero = { clio: "0.00", qbo: "0.00", difference: "0.00" };

/** A full report: Jane agrees, Acme's trust and one invoice differ (a name with markup in it). */
const REPORT: ReconcileReport = {
  generatedAt: "2026-03-02T10:00:00.000Z",
  scope: "full",
  ok: false,
  clients: [
    {
      clientId: "11",
      name: "Jane Doe",
      customerId: "58",
      receivables: zero,
      invoices: zero,
      payments: zero,
      trust: zero,
    },
    {
      clientId: "12",
      customerId: "59",
      receivables: { clio: "100.00", qbo: "90.00", difference: "-10.00" },
      invoices: { clio: "100.00", qbo: "90.00", difference: "-10.00" },
      payments: zero,
      trust: { clio: "500.00", qbo: "450.00", difference: "-50.00" },
    },
  ],
  totals: {
    receivables: { clio: "100.00", qbo: "90.00", difference: "-10.00" },
    invoices: { clio: "100.00", qbo: "90.00", difference: "-10.00" },
    payments: zero,
    trust: { clio: "500.00", qbo: "450.00", difference: "-50.00" },
  },
  trustAccounts: [
    {
      clioAccountId: "7",
      name: "IOLTA",
      clioBalance: "500.00",
      clioClientSum: "500.00",
      qboBankBalance: "450.00",
    },
  ],
  items: [
    {
      area: "invoice",
      clientId: "12",
      clioRecord: "bill 301 (A-7)",
      qboRecord: "invoice 88",
      clio: "100.00",
      qbo: "90.00",
      difference: "-10.00",
      reason: "invoice total differs from the bill",
    },
    {
      area: "trust",
      clientId: "12",
      clioRecord: "trust transaction 9",
      clio: "50.00",
      qbo: "0.00",
      difference: "-50.00",
      reason: "no journal entry",
    },
  ],
};

const acme: MirrorWrite = {
  kind: "contact",
  id: "12",
  parentId: null,
  etag: "e1",
  data: { id: 12, type: "Company", name: "Acme <b>Law</b>, Inc." } as MirrorWrite["data"],
};

async function withReport() {
  const d = await dashboardApp();
  await d.store.commit({ kv: { [RECONCILE_LAST_REPORT_KV]: JSON.stringify(REPORT) }, mirror: [acme] }, 1);
  return d;
}

describe("the Reconciliation page", () => {
  it("says there is no report yet, and offers Reconcile now only where it can run", async () => {
    const d = await dashboardApp();
    const { cookie } = await d.session();
    const text = await (await d.request("/reconciliation", { cookie })).text();
    assert.match(text, /No reconciliation yet/);
    assert.doesNotMatch(text, /Reconcile now<\/button>/);
    assert.equal((await d.request("/reconciliation.csv", { cookie })).status, 404);
  });

  it("shows the totals and the clients with differences, each difference itemised, names beside ids (escaped)", async () => {
    const d = await withReport();
    const { cookie } = await d.session();
    const text = await (await d.request("/reconciliation", { cookie })).text();
    assert.match(text, /2 difference\(s\)/);
    assert.match(text, /Acme &lt;b&gt;Law&lt;\/b&gt;, Inc\./, "the name from the mirror, escaped");
    assert.doesNotMatch(text, /<b>Law/);
    assert.match(text, /id="client-12" data-differences="2"/);
    assert.match(text, /invoice total differs from the bill/);
    assert.match(text, /no journal entry/);
    assert.match(text, /IOLTA/);
    assert.doesNotMatch(text, /id="client-11"/, "Jane agrees: only on the every-client list");
    const all = await (await d.request("/reconciliation?all=1", { cookie })).text();
    assert.match(all, /id="client-11" data-differences="0"/);
    assert.match(all, /Jane Doe/);
  });

  it("downloads the report as CSV, as an attachment, with the names filled in", async () => {
    const d = await withReport();
    const { cookie } = await d.session();
    const response = await d.request("/reconciliation.csv", { cookie });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
    assert.equal(
      response.headers.get("content-disposition"),
      'attachment; filename="reconciliation-2026-03-02.csv"',
    );
    const lines = (await response.text()).split("\n");
    assert.equal(
      lines[2],
      '12,"Acme <b>Law</b>, Inc.",59,100.00,90.00,-10.00,100.00,90.00,-10.00,0.00,0.00,0.00,500.00,450.00,-50.00',
    );
    assert.ok(lines.includes("trust,12,trust transaction 9,,50.00,0.00,-50.00,no journal entry"));
    assert.equal((await d.request("/reconciliation.csv")).status, 303, "behind the login");
  });

  it("Reconcile now runs the reconciliation (with the CSRF token only) and shows the new report", async () => {
    let runs = 0;
    const d = await dashboardApp({
      extra: {
        reconcileNow: async () => {
          runs += 1;
          await d.store.commit({ kv: { [RECONCILE_LAST_REPORT_KV]: JSON.stringify(REPORT) } }, 2);
        },
      },
    });
    const { cookie } = await d.session();
    const refused = await d.request("/reconciliation/run", { method: "POST", cookie, body: "" });
    assert.equal(refused.status, 403);
    assert.equal(runs, 0);
    const response = await d.post("/reconciliation/run");
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/reconciliation?done=ran");
    assert.equal(runs, 1);
    const text = await (await d.request("/reconciliation?done=ran", { cookie })).text();
    assert.match(text, /Reconciliation finished/);
    assert.match(text, /2 difference\(s\)/);
  });

  it("a failed reconciliation says so and keeps the previous report", async () => {
    const d = await dashboardApp({
      extra: {
        reconcileNow: async () => {
          throw new Error("Clio is down");
        },
      },
    });
    const response = await d.post("/reconciliation/run");
    assert.equal(response.headers.get("location"), "/reconciliation?done=failed");
  });
});
