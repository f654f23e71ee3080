/**
 * Reading QBO's changes when the change feed cannot tell them completely: a CDC answer that may
 * have been cut short at 1,000 objects is split by entity, an entity that still fills an answer is
 * compared in full, and after more than 30 days without a pass every linked record is compared
 * in full — each handled as CDC would (edits noticed, our own writes ignored, inactive customers
 * marked inactive, deleted records breaking their links).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { createLogger, memoryDestination } from "../core/logger.ts";
import { createQboEmulator } from "../emulators/qbo/index.ts";
import { createQboClient } from "../qbo/index.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { settleWithClock } from "../testing/settle.ts";
import type { ClioPort, EngineDeps, QboPort } from "./ports.ts";
import { pullQboChanges } from "./pull-qbo.ts";

const DAY = 24 * 3600_000;

async function setup(customers: number) {
  const clock = new FakeClock(Date.UTC(2026, 1, 3, 18, 0, 0));
  const emu = createQboEmulator({ clock, quotas: { enabled: false } });
  const names = Array.from({ length: customers }, (_, i) => `Client ${String(i).padStart(4, "0")}`);
  emu.loadSeed({ customers: names.map((DisplayName) => ({ DisplayName })), vendors: [], invoices: [] });
  // A fresh token per call: a month passes in the third test.
  const token = async () => emu.issueTokens().access_token;
  const client = createQboClient({
    realmId: emu.defaultRealmId,
    tokens: { accessToken: token, refresh: token },
    clock,
    baseUrl: "http://qbo.emulator",
    fetch: emu.fetch,
  });
  const calls: string[] = [];
  const qbo: QboPort = {
    ...({} as QboPort),
    realmId: client.realmId,
    cdc: (entities, since) => {
      calls.push(`cdc ${entities.join(",")}`);
      return client.cdc(entities, since);
    },
    query: ((q) => {
      calls.push("query");
      return client.query(q);
    }) as QboPort["query"],
    queryAll: ((q, size) => {
      calls.push("queryAll");
      return client.queryAll(q, size);
    }) as QboPort["queryAll"],
  };
  const store = new SqliteStore(":memory:");
  const logs = memoryDestination();
  const deps: EngineDeps = {
    clio: {} as ClioPort,
    qbo,
    store,
    clock,
    logger: createLogger({ destination: logs, level: "warn" }),
    settings: {
      startDate: "2020-01-01",
      conflictPolicy: "latest-wins",
      overlapMs: 5 * 60_000,
      qboWebBase: "http://qbo.emulator",
      batchConcurrency: 1,
      singleConcurrency: 6,
      idCompareIntervalMs: 86_400_000,
      reconcileFullIntervalMs: 86_400_000,
    },
  };
  const ids = Object.fromEntries(
    Object.values(emu.state.realms[emu.defaultRealmId]!.records.Customer ?? {}).map((r) => [
      String(r.data.DisplayName),
      r.id,
    ]),
  );
  /** Links Clio contact `clioId` to the QBO customer named `name`, as a pass would have. */
  async function link(clioId: string, name: string) {
    const now = clock.now();
    await store.commit(
      {
        links: [
          {
            entity: "customer",
            clioId,
            qboId: ids[name]!,
            syncToken: "0",
            state: "linked",
            contentHash: "h",
            qboEditedAt: null,
            baseline: null,
            updatedAt: now,
          },
        ],
        mirror: [{ kind: "contact", id: clioId, parentId: null, etag: "e", data: { id: Number(clioId) } }],
        mirrorClean: [{ kind: "contact", id: clioId }],
      },
      now,
    );
  }
  const editInQbo = async (name: string, patch: Record<string, unknown>) => {
    const res = await emu.app.request(`/__admin/realms/${emu.defaultRealmId}/customer/${ids[name]}`, {
      method: "PATCH",
      body: JSON.stringify(patch),
    });
    assert.equal(res.status, 200);
  };
  return { clock, emu, deps, store, calls, logs, link, editInQbo };
}

/** The QBO part of a pass; the fake clock moves so the client's 10-a-second budget lets calls out. */
async function pass(deps: EngineDeps, clock: FakeClock) {
  const startedAt = clock.now();
  await settleWithClock(clock, pullQboChanges(deps, startedAt), 100);
  return startedAt;
}

async function linkedState(t: Awaited<ReturnType<typeof setup>>, clioId: string) {
  return (await t.store.getLink("customer", clioId))?.state;
}

async function contactDirty(t: Awaited<ReturnType<typeof setup>>, clioId: string) {
  return (await t.store.getMirror("contact", clioId))?.dirty;
}

describe("pullQboChanges when the change feed cannot tell everything", () => {
  it("reads a small answer from CDC alone, in one call for every entity", async () => {
    const t = await setup(5);
    await t.link("c1", "Client 0001");
    await pass(t.deps, t.clock); // the first pass only sets the cursor
    await t.clock.advance(60_000);
    await t.editInQbo("Client 0001", { CompanyName: "Edited in QBO" });
    t.calls.length = 0;
    await pass(t.deps, t.clock);
    assert.deepEqual(t.calls, ["cdc Customer,Invoice,Payment,CreditMemo,JournalEntry,Item,Account"]);
    assert.equal(await contactDirty(t, "c1"), true, "the edited customer's contact is planned again");
  });

  it("splits a full answer by entity and compares an entity that alone fills an answer", async () => {
    const t = await setup(1_005);
    await t.link("c1", "Client 0001");
    await t.link("c2", "Client 0002");
    await t.link("c3", "Client 0003");
    await pass(t.deps, t.clock);
    await t.clock.advance(60_000);
    // 1,005 customers changed since the cursor (the seed is inside the 5-minute overlap), and
    // two of the linked ones edited in QBO: the feed answers 1,000 objects and says no more.
    await t.editInQbo("Client 0001", { CompanyName: "Edited in QBO" });
    await t.editInQbo("Client 0003", { Active: false });
    t.calls.length = 0;
    await pass(t.deps, t.clock);
    assert.deepEqual(t.calls.slice(0, 6), [
      "cdc Customer,Invoice,Payment,CreditMemo,JournalEntry,Item,Account",
      "cdc Customer",
      "cdc Invoice",
      "cdc Payment",
      "cdc CreditMemo",
      "cdc JournalEntry",
    ]);
    assert.deepEqual(t.calls.slice(6, 8), ["cdc Item", "cdc Account"]);
    assert.deepEqual(t.calls.slice(8), ["queryAll"], "one Id IN query for the three linked customers");
    assert.equal(await contactDirty(t, "c1"), true, "an edit found by the compare is merged like a CDC one");
    assert.equal(await contactDirty(t, "c2"), false, "an unchanged record (our SyncToken) is left alone");
    assert.equal(
      await linkedState(t, "c3"),
      "inactive",
      "a customer made inactive keeps its link, marked inactive",
    );
    const item = (await t.store.listIssues({ state: "open", key: "contact:c3" }))[0];
    assert.equal(item?.code, "sync_customer_inactive");
    const warn = t.logs.records().find((r) => r.level === 40);
    assert.deepEqual(warn?.entities, ["Customer"]);
  });

  it("after more than 30 days without a pass compares every linked record instead of asking CDC", async () => {
    const t = await setup(3);
    await t.link("c1", "Client 0001");
    await t.link("c2", "Client 0002");
    await pass(t.deps, t.clock);
    await t.clock.advance(31 * DAY);
    await t.editInQbo("Client 0002", { CompanyName: "Edited a month later" });
    t.calls.length = 0;
    const startedAt = await pass(t.deps, t.clock);
    assert.ok(!t.calls.some((c) => c.startsWith("cdc")), "CDC would refuse a window over 30 days");
    assert.equal(await contactDirty(t, "c2"), true);
    assert.equal(await contactDirty(t, "c1"), false);
    assert.equal(
      await t.store.getCursor("qbo:cdc"),
      new Date(startedAt).toISOString(),
      "the next pass reads the feed from here",
    );
    // And the next pass is back on the feed.
    await t.clock.advance(60_000);
    t.calls.length = 0;
    await pass(t.deps, t.clock);
    assert.deepEqual(t.calls, ["cdc Customer,Invoice,Payment,CreditMemo,JournalEntry,Item,Account"]);
  });
});
