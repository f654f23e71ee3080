import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Clock, systemClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { readLastReconcileReport, reconcileAfterPass } from "../engine/reconcile.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

const HOUR = 3_600_000;

/**
 * The reconciliation `lexbridge sync` runs after a pass (issue 10): only the clients the pass
 * touched, reading only their records; nothing at all after a pass that touched nothing; in full
 * once a day. The clock (the engine's and both emulators') is the system's shifted by whole hours,
 * so "a day later" needs no waiting.
 */
describe("the reconciliation after a pass", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let ids: Record<string, number>;
  let offset = 0;
  const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
  const requests: URL[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!url.pathname.includes("oauth") && !url.pathname.includes("/tokens")) requests.push(url);
    return fetch(input, init);
  };
  const clio = () => requests.filter((u) => u.origin === new URL(pair.clio.url).origin);
  /** A pass at `at` hours, then the reconciliation after it, counting only the latter's requests. */
  const passThenReconcile = async (at: number) => {
    offset = at * HOUR;
    const summary = await runSyncPass(engine.deps);
    requests.length = 0;
    return { summary, report: await reconcileAfterPass(engine.deps, summary) };
  };

  before(async () => {
    pair = await startEmulatorPair({ clio: { clock }, qbo: { clock } });
    ids = await buildHandFirm(pair);
    engine = await createEngine(pair.config, silentLogger, { clock, fetch: counting });
    const first = await passThenReconcile(0);
    assert.equal(first.report?.scope, "full", "the first pass reconciles everything");
    assert.equal(first.report?.ok, true);
    assert.deepEqual(await readLastReconcileReport(engine.store), first.report, "a full report is kept");
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("after a pass that touched nothing: nothing is compared and no request is made", async () => {
    const { summary, report } = await passThenReconcile(1);
    assert.deepEqual(summary.touchedClients, []);
    assert.equal(report, undefined);
    assert.deepEqual(
      requests.map((u) => u.pathname),
      [],
    );
  });

  it("after a payment on Jane's bill: only Jane is compared, from her records alone", async () => {
    await pair.clioAdmin("POST", "/payments", { bill_id: ids.bill1, amount: 25, date: "2026-03-20" });
    const { summary, report } = await passThenReconcile(2);
    const jane = String(ids.jane);
    assert.deepEqual(summary.touchedClients, [jane]);
    assert.equal(report?.scope, "clients");
    assert.deepEqual(
      report?.clients.map((c) => c.clientId),
      [jane],
    );
    assert.equal(report?.ok, true, JSON.stringify(report?.items));
    assert.equal(
      (await readLastReconcileReport(engine.store))?.scope,
      "full",
      "one client's report is not kept",
    );
    // Every Clio read names Jane; QBO is asked for the linked records by id.
    assert.deepEqual(
      clio()
        .map((u) => u.pathname.replace("/api/v4/", ""))
        .sort(),
      ["allocations.json", "bank_transactions.json", "bills.json"],
    );
    for (const u of clio()) {
      const filter = u.pathname.includes("allocations") ? "contact_id" : "client_id";
      assert.equal(u.searchParams.get(filter), jane, u.href);
    }
    const qbo = requests.filter((u) => !clio().includes(u));
    assert.ok(qbo.length > 0 && qbo.every((u) => u.pathname.endsWith("/query")));
  });

  it("once a day (reconcileFullHours) the pass's reconciliation is full, even when it touched nothing", async () => {
    const { summary, report } = await passThenReconcile(25);
    assert.deepEqual(summary.touchedClients, []);
    assert.equal(report?.scope, "full");
    assert.equal(report?.ok, true, JSON.stringify(report?.items));
    const next = await passThenReconcile(26);
    assert.equal(next.report, undefined, "and not again until a day later");
  });
});
