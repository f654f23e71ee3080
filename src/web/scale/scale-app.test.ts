import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ReconcileReport } from "../../engine/reconcile.ts";
import { RECONCILE_LAST_REPORT_KV } from "../../engine/reconcile-stored.ts";
import { scaleDashboard } from "../../testing/scale-dashboard.ts";

/** Every page of a firm, its CSV exports and its pages' query forms. */
const FIRM_PAGES = [
  "",
  "/",
  "/status",
  "/status?each=1",
  "/status?code=qbo_duplicate_name",
  "/matches",
  "/reconciliation",
  "/reconciliation.csv",
  "/audit",
  "/audit?q=clio",
  "/audit.csv",
  "/connections",
  "/settings",
];

/** What each firm's data says of itself: none of it may reach another firm's user. */
const MARK = {
  alpha: ["Alpha Only Client", "alpha-clio-7001", "qbo-alpha-31"],
  bravo: ["Bravo Only Client", "bravo-clio-8002", "qbo-bravo-42"],
};

async function seed(
  store: ReturnType<Awaited<ReturnType<typeof scaleDashboard>>["storeOf"]>,
  marks: string[],
) {
  const [client, clioId, qboId] = marks as [string, string, string];
  await store.commit(
    {
      issues: [
        {
          key: `contact:${clioId}`,
          code: "qbo_duplicate_name",
          message: `${client} has a twin`,
          entity: "contact",
          clioId,
          clioName: client,
        },
      ],
      audit: [
        {
          at: 1_000,
          runId: "run-1",
          requestId: `req-${clioId}`,
          entity: "customer",
          action: "create",
          clioId,
          qboId,
          after: { DisplayName: client },
          outcome: "ok",
        },
      ],
    },
    1_000,
  );
  const zero = { clio: "0.00", qbo: "0.00", difference: "0.00" };
  const off = { clio: "100.00", qbo: "90.00", difference: "-10.00" };
  const report: ReconcileReport = {
    generatedAt: "2026-03-02T10:00:00.000Z",
    scope: "full",
    ok: false,
    clients: [
      {
        clientId: clioId,
        name: client,
        customerId: qboId,
        receivables: off,
        invoices: off,
        payments: zero,
        trust: zero,
      },
    ],
    totals: { receivables: off, invoices: off, payments: zero, trust: zero },
    trustAccounts: [],
    items: [
      {
        area: "invoice",
        clientId: clioId,
        clioRecord: `bill of ${clioId}`,
        qboRecord: `invoice ${qboId}`,
        ...off,
        reason: "invoice total differs from the bill",
      },
    ],
  } as ReconcileReport;
  await store.commit({ kv: { [RECONCILE_LAST_REPORT_KV]: JSON.stringify(report) } }, 1_000);
  await store.proposeMatch({
    clioId,
    qboId,
    reason: `${client} looks alike`,
    state: "proposed",
    createdAt: 1_000,
  });
}

describe("scale mode's dashboard: one firm's data never reaches another firm's user", () => {
  let d: Awaited<ReturnType<typeof scaleDashboard>>;
  before(async () => {
    d = await scaleDashboard({
      firms: [
        { id: "alpha", name: "Alpha Law" },
        { id: "bravo", name: "Bravo Law" },
      ],
      users: [{ name: "integrator" }, { name: "ann", firm: "alpha" }, { name: "bob", firm: "bravo" }],
    });
    await seed(d.storeOf("alpha"), MARK.alpha);
    await seed(d.storeOf("bravo"), MARK.bravo);
  });
  after(() => d.close());

  const text = async (path: string, cookie: string) => {
    const response = await d.request(path, { cookie });
    return {
      status: response.status,
      body: await response.text(),
      location: response.headers.get("location"),
    };
  };
  const assertNone = (body: string, marks: string[], where: string) => {
    for (const mark of [...marks, "Bravo Law"]) assert.ok(!body.includes(mark), `${where} shows ${mark}`);
  };

  it("a firm's user sees its own firm on every page and CSV, and nothing of the other firm", async () => {
    const { cookie } = await d.login("ann");
    const home = await d.request("/", { cookie });
    assert.equal(home.headers.get("location"), "/firms/alpha/status");
    const list = await text("/firms", cookie);
    assert.match(list.body, /Alpha Law/);
    assertNone(list.body, MARK.bravo, "/firms");
    for (const path of FIRM_PAGES) {
      const own = await text(`/firms/alpha${path}`, cookie);
      assert.ok(
        own.status === 200 || own.status === 302 || own.status === 303,
        `/firms/alpha${path}: ${own.status}`,
      );
      assertNone(own.body, MARK.bravo, `/firms/alpha${path}`);
      const other = await text(`/firms/bravo${path}`, cookie);
      assert.equal(other.status, 404, `/firms/bravo${path}`);
      assertNone(other.body, MARK.bravo, `/firms/bravo${path}`);
    }
    assert.match((await text("/firms/alpha/status", cookie)).body, /Alpha Only Client/);
    assert.match((await text("/firms/alpha/audit.csv", cookie)).body, /alpha-clio-7001/);
    assert.match((await text("/firms/alpha/matches", cookie)).body, /alpha-clio-7001/);
    assert.match((await text("/firms/alpha/reconciliation", cookie)).body, /Alpha Only Client/);
    assert.match((await text("/firms/alpha/reconciliation.csv", cookie)).body, /alpha-clio-7001/);
  });

  it("answers another firm's forms with 404 and changes nothing there; a firm that does not exist looks the same", async () => {
    const { cookie, token } = await d.login("ann");
    const [bravoItem] = await d.storeOf("bravo").listIssues();
    const posts = [
      ["/firms/bravo/status/resync", { id: String(bravoItem!.id) }],
      ["/firms/bravo/status/resync-code", { code: "qbo_duplicate_name" }],
      ["/firms/bravo/matches/bravo-clio-8002/accept", {}],
      ["/firms/bravo/reconciliation/run", {}],
      ["/firms/bravo/settings", { syncIntervalSeconds: "900" }],
      ["/firms/bravo/connections/qbo/disconnect", {}],
    ] as const;
    for (const [path, fields] of posts) {
      const response = await d.request(path, {
        method: "POST",
        cookie,
        body: new URLSearchParams({ ...fields, _csrf: token }),
      });
      assert.equal(response.status, 404, path);
    }
    assert.equal((await d.storeOf("bravo").listIssues())[0]!.retryRequested, false);
    assert.equal((await d.storeOf("bravo").listMatches("proposed")).length, 1);
    assert.deepEqual((await d.registry.get("bravo"))!.settings, {});
    assert.deepEqual(d.jobs, [], "no job was queued for bravo");
    const missing = await text("/firms/nobody/status", cookie);
    const hidden = await text("/firms/bravo/status", cookie);
    assert.equal(missing.status, hidden.status);
    assert.equal(missing.body, hidden.body);
    assert.equal(
      (await d.request("/add-firm", { cookie })).status,
      404,
      "only an integrator's admin adds firms",
    );
  });

  it("an integrator's admin sees every firm, each under its own prefix", async () => {
    const { cookie } = await d.login("integrator");
    assert.equal((await d.request("/", { cookie })).headers.get("location"), "/firms");
    const list = await text("/firms", cookie);
    assert.match(list.body, /Alpha Law/);
    assert.match(list.body, /Bravo Law/);
    assert.match(list.body, /href="\/add-firm"/);
    const bravo = await text("/firms/bravo/status", cookie);
    assert.match(bravo.body, /Bravo Only Client/);
    assert.ok(!bravo.body.includes("Alpha Only Client"));
    // The firm's pages link within the firm; the installation's paths stay.
    assert.match(bravo.body, /href="\/firms\/bravo\/audit"/);
    assert.match(bravo.body, /action="\/logout"/);
    assert.match(bravo.body, /href="\/assets\/pico.min.css"/);
    assert.doesNotMatch(bravo.body, /href="\/status"/);
    assert.match((await text("/firms/alpha/audit.csv", cookie)).body, /alpha-clio-7001/);
  });

  it("a firm's form acts on that firm: settings saved in its row, a re-sync queued on its queue", async () => {
    const { cookie, token } = await d.login("bob");
    const saved = await d.request("/firms/bravo/settings", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ syncIntervalSeconds: "900", _csrf: token }),
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/firms/bravo/settings?saved=1");
    assert.equal((await d.registry.get("bravo"))!.settings.syncIntervalSeconds, 900);
    assert.deepEqual((await d.registry.get("alpha"))!.settings, {});
    const [item] = await d.storeOf("bravo").listIssues();
    const resync = await d.request("/firms/bravo/status/resync", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ id: String(item!.id), _csrf: token }),
    });
    assert.equal(resync.status, 303);
    assert.match(resync.headers.get("location") ?? "", /^\/firms\/bravo\/status\?done=item/);
    assert.deepEqual(d.jobs, [{ firmId: "bravo", kind: "pass" }]);
    assert.equal((await d.storeOf("alpha").listIssues())[0]!.retryRequested, false);
  });
});
