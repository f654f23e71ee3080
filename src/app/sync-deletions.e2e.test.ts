import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Clock, systemClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import type { ClioPort, EngineDeps } from "../engine/ports.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;
const HOUR = 3_600_000;

/**
 * What finding deletions costs and when the complete id compare runs (issue 10): Clio keeps no
 * tombstones, so a deletion no changed bill reveals is found only by comparing id sets, once a day
 * by default. The clock (the engine's and both emulators') is the system's shifted by whole hours,
 * so "a day later" needs no waiting.
 */
describe("deletions no changed bill reveals, and the cost of looking for them", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let offset = 0;
  const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
  const clioRequests: URL[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.origin === new URL(pair.clio.url).origin && url.pathname.startsWith("/api/v4/"))
      clioRequests.push(url);
    return fetch(input, init);
  };
  const deletionReads = () =>
    clioRequests
      .filter((u) => u.searchParams.get("fields") === "id")
      .map((u) => u.pathname.replace("/api/v4/", ""));
  /** The Clio port as if real Clio did not touch a bill when a payment on it is deleted (unconfirmed). */
  const untouchedBills = (clio: ClioPort): ClioPort => ({
    list: async function* (kind, since) {
      if (kind === "bill" && since !== undefined) return;
      yield* clio.list(kind, since);
    },
    listIds: (kind) => clio.listIds(kind),
    listOfClient: (kind, client) => clio.listOfClient(kind, client),
    allocationIdsOfBill: (bill) => clio.allocationIdsOfBill(bill),
    contactsByIds: (list) => clio.contactsByIds(list),
    byIds: (kind, list) => clio.byIds(kind, list),
    listOfBill: (kind, bill) => clio.listOfBill(kind, bill),
    allocationsOfParent: (parent) => clio.allocationsOfParent(parent),
    updateContact: (id, body) => clio.updateContact(id, body),
    webUrl: (kind, id) => clio.webUrl(kind, id),
  });
  const pass = (at: number, options: { dryRun?: boolean; deps?: EngineDeps } = {}) => {
    offset = at;
    clioRequests.length = 0;
    return runSyncPass(options.deps ?? engine.deps, { dryRun: options.dryRun ?? false });
  };
  const qboPayment = async (clioId: string) => {
    const link = await engine.store.getLink("payment", clioId);
    const read = await engine.deps.qbo.read("Payment", link!.qboId);
    assert.ok(read.ok);
    return read.value as Row;
  };

  before(async () => {
    // Both emulators keep the same shifted time, so cursors and Clio's `updated_at` agree.
    pair = await startEmulatorPair({ clio: { clock }, qbo: { clock } });
    await buildHandFirm(pair);
    engine = await createEngine(pair.config, silentLogger, { clock, fetch: counting });
    await pass(0);
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("an idle pass lists no id set and no bill's allocations", async () => {
    const idle = await pass(HOUR);
    assert.equal(idle.written.sent, 0);
    assert.deepEqual(deletionReads(), []);
    assert.equal(clioRequests.filter((u) => u.searchParams.has("bill_id")).length, 0);
  });

  it("a changed bill costs one request for its allocations, none when it has no payment", async () => {
    const bills = (await engine.store.listLinks("invoice")).map((l) => l.clioId);
    for (const bill of bills) await pair.clioAdmin("PATCH", `/bills/${bill}`, { memo: "edited" });
    await pass(2 * HOUR);
    const checked = clioRequests
      .filter((u) => u.searchParams.has("bill_id"))
      .map((u) => u.searchParams.get("bill_id"));
    const paid = [];
    for (const bill of bills)
      if ((await engine.store.listMirrorByBill("allocation", bill)).length > 0) paid.push(bill);
    assert.ok(
      paid.length > 0 && paid.length < bills.length,
      "some bills have payments or credits, some none",
    );
    assert.deepEqual(checked.sort(), paid.sort());
  });

  it("finds a deleted payment whose bill did not change at the next complete compare, a day after the last", async () => {
    const link = (await engine.store.listLinks("payment"))[0]!;
    const hidden = { ...engine.deps, clio: untouchedBills(engine.deps.clio) };
    await pair.clioAdmin("DELETE", `/payments/${link.clioId}`);
    await pass(3 * HOUR, { deps: hidden });
    assert.equal((await qboPayment(link.clioId)).TotalAmt, 100, "not found yet: nothing revealed it");
    assert.deepEqual(deletionReads(), []);

    const dry = await pass(25 * HOUR, { deps: hidden, dryRun: true });
    assert.ok(dry.plan.some((p) => p.phase === "payment" && p.action === "void" && p.clioId === link.clioId));
    assert.equal((await qboPayment(link.clioId)).TotalAmt, 100, "a dry run writes nothing");

    await pass(25 * HOUR, { deps: hidden });
    assert.deepEqual(deletionReads().sort(), ["allocations.json", "bills.json", "credit_memos.json"]);
    assert.equal((await qboPayment(link.clioId)).TotalAmt, 0, "voided");

    await pass(26 * HOUR, { deps: hidden });
    assert.deepEqual(deletionReads(), [], "the compare's time is kept: not again before a day has passed");
  });
});
