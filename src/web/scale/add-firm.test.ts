import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConnection, secretBoxFor } from "../../app/connections.ts";
import { type RunningEmulators, startEmulators } from "../../cli/commands/emulate.ts";
import { scaleDashboard } from "../../testing/scale-dashboard.ts";

/** Until `check` holds, for what a request started and does not await (at most 5 s). */
async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await check(), "did not happen within 5 s");
}

describe("scale mode's dashboard: Add firm creates the firm when its first provider connects", () => {
  let emulators: RunningEmulators;
  let d: Awaited<ReturnType<typeof scaleDashboard>>;
  before(async () => {
    emulators = await startEmulators({
      clioPort: 0,
      qboPort: 0,
      host: "127.0.0.1",
      firm: "empty",
      seed: 1,
      quotas: false,
      autoApprove: true,
    });
    d = await scaleDashboard({
      firms: [{ id: "alpha", name: "Alpha Law" }],
      users: [{ name: "integrator" }, { name: "ann", firm: "alpha" }],
      config: {
        qboBaseUrl: emulators.qboUrl,
        clioBaseUrl: emulators.clioUrl,
        qboClientId: "lexbridge-test",
        qboClientSecret: "lexbridge-test-secret",
        clioClientId: "lexbridge-test",
        clioClientSecret: "lexbridge-test-secret",
      },
    });
  });
  after(async () => {
    await d.close();
    await emulators.close();
  });

  it("asks the id, connects QuickBooks, and creates the firm with its connection, its realm's route and its first pass", async () => {
    const { cookie, token } = await d.login("integrator");
    const step1 = await d.request("/add-firm", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ id: "carol", name: "Carol Law", clioRegion: "us", _csrf: token }),
    });
    assert.equal(step1.status, 200);
    const link = /href="(\/add-firm\/qbo\/connect\?[^"]+)"/.exec(await step1.text())?.[1];
    assert.ok(link, "step 2 links to connecting QuickBooks");
    assert.equal(await d.registry.get("carol"), undefined, "nothing is created before a connection");
    const start = await d.request(link.replaceAll("&amp;", "&"), { cookie });
    assert.equal(start.status, 303);
    // The emulator approves at once and sends the browser back to the dashboard's callback.
    const consent = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const back = new URL(consent.headers.get("location")!);
    const done = await d.request(`${back.pathname}${back.search}`);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "http://127.0.0.1:4000/firms/carol/connections?connected=qbo");
    const carol = await d.registry.get("carol");
    assert.equal(carol?.name, "Carol Law");
    assert.deepEqual(carol?.settings, { clioRegion: "us" });
    const qbo = await loadConnection(
      d.storeOf("carol"),
      secretBoxFor({ ...d.installation, firm: "carol" }),
      "qbo",
    );
    assert.equal(qbo?.realmId, emulators.realmId);
    await eventually(() => d.jobs.some((j) => j.firmId === "carol"));
    assert.deepEqual(d.jobs, [{ firmId: "carol", kind: "pass" }]);
    assert.equal(await d.routes.firmOfQboRealm(emulators.realmId), "carol");
    // Its pages are there for the admin now; the id cannot be added twice.
    assert.equal((await d.request("/firms/carol/connections", { cookie })).status, 200);
    const twice = await d.request("/add-firm", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ id: "carol", _csrf: token }),
    });
    assert.equal(twice.status, 400);
    assert.match(await twice.text(), /exists already/);
    // Disconnected on its Connections page: its company's deliveries are no longer routed to it.
    const forgotten = await d.request("/firms/carol/connections/qbo/disconnect", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ forget_only: "on", _csrf: token }),
    });
    assert.equal(forgotten.headers.get("location"), "/firms/carol/connections?disconnected=qbo");
    await eventually(async () => (await d.routes.firmOfQboRealm(emulators.realmId)) === undefined);
  });

  it("lets only an integrator's admin add a firm", async () => {
    const { cookie } = await d.login("ann");
    const start = await d.request("/add-firm/qbo/connect?id=dave&name=Dave", { cookie });
    assert.equal(start.status, 404);
    assert.equal(await d.registry.get("dave"), undefined);
  });
});
