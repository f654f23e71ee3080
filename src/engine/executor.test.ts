import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEngine, type EngineHandle } from "../app/engine-factory.ts";
import { silentLogger } from "../core/logger.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { executeOperations, replayOutbox, singleCount } from "./executor.ts";
import { requestIdFor } from "./hash.ts";
import type { PlannedOperation } from "./operation.ts";

/** `n` customer creates, as the customer planner would plan them. */
function customerCreates(tag: string, n: number): PlannedOperation[] {
  return Array.from({ length: n }, (_, i) => {
    const clioId = `${tag}${i + 1}`;
    const name = `Client ${tag} ${i + 1}`;
    return {
      entity: "customer",
      clioId,
      action: "create",
      requestId: requestIdFor(["executor-test", clioId]),
      payload: {
        qboEntity: "Customer",
        operation: "create",
        body: { DisplayName: name },
        issue: { key: `contact:${clioId}`, entity: "customer", clioId, clioName: name },
        sources: [],
      },
    };
  });
}

/** What the QBO emulator received: batch calls and single customer writes (with their requestids). */
function watch(pair: EmulatorPair) {
  const seen = { batches: 0, singles: [] as string[] };
  pair.qbo.emulator.core.requests.listener = (request) => {
    const [path = "", search = ""] = request.path.split("?");
    if (path.startsWith("/batch")) seen.batches++;
    else if (request.method === "POST" && path === "/customer")
      seen.singles.push(new URLSearchParams(search).get("requestid") ?? "");
  };
  return seen;
}

async function customersIn(pair: EmulatorPair, tag: string): Promise<string[]> {
  const state = pair.qbo.emulator.exportState({ volatile: false }) as unknown as {
    realms: Record<string, { records: { Customer?: Array<{ data: { DisplayName: string } }> } }>;
  };
  const customers = state.realms[pair.qbo.defaultRealmId]!.records.Customer ?? [];
  return customers.map((c) => c.data.DisplayName).filter((name) => name.startsWith(`Client ${tag} `));
}

describe("the executor's two lanes", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;

  before(async () => {
    pair = await startEmulatorPair();
    engine = await createEngine(pair.config, silentLogger, { maxAttempts: 2, baseDelayMs: 1 });
  });
  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("sends no single write while one batch holds a phase, and QBO's share of the rest otherwise", () => {
    assert.equal(singleCount(30), 0);
    assert.equal(singleCount(31), 8);
    // 460 of every 1,660 writes: both lanes at their full rates finish together.
    assert.equal(singleCount(1660), 460);
  });

  it("writes a phase on both lanes, each write once, singles under their own requestid", async () => {
    const seen = watch(pair);
    const ops = customerCreates("A", 70);
    const stats = await executeOperations(engine.deps, ops, { runId: "run-a" });
    // 19 single writes, 51 in two batches.
    assert.deepEqual(stats, { sent: 70, succeeded: 70, failed: 0, batches: 2 });
    assert.equal(seen.batches, 2);
    assert.deepEqual(
      seen.singles.sort(),
      ops
        .slice(70 - singleCount(70))
        .map((o) => o.requestId)
        .sort(),
    );
    assert.equal((await customersIn(pair, "A")).length, 70);
    for (const op of ops) assert.ok(await engine.store.getLink("customer", op.clioId), op.clioId);
    assert.equal((await engine.store.pendingOperations()).length, 0);
  });

  it("leaves single writes that failed as requests in the outbox, and replays them under the same requestids", async () => {
    await pair.qboAdmin("PUT", "/faults", { rules: [{ kind: "500", path: "/customer", count: 1000 }] });
    const ops = customerCreates("B", 40);
    const singles = ops.slice(40 - singleCount(40));
    await assert.rejects(executeOperations(engine.deps, ops, { runId: "run-b" }));
    const pending = await engine.store.pendingOperations();
    assert.deepEqual(pending.map((o) => o.requestId).sort(), singles.map((o) => o.requestId).sort());
    assert.ok(pending.every((o) => o.batchId === null));

    // The next run: the answers of the first writes were lost after QBO carried them out.
    await pair.qboAdmin("PUT", "/faults", { rules: [{ kind: "lost", path: "/customer", count: 5 }] });
    const seen = watch(pair);
    const replayed = await replayOutbox(engine.deps, { runId: "run-c" });
    assert.equal(replayed.succeeded, singles.length);
    assert.ok(seen.singles.length >= singles.length);
    assert.ok(seen.singles.every((id) => singles.some((o) => o.requestId === id)));
    const names = await customersIn(pair, "B");
    assert.equal(names.length, 40);
    assert.equal(new Set(names).size, 40, "no customer written twice");
    assert.equal((await engine.store.pendingOperations()).length, 0);
    assert.equal((await engine.store.listIssues({ state: "open" })).length, 0);
  });

  it("records QBO's answer about a single write as its outcome, as for a batch item", async () => {
    await pair.qboAdmin("PUT", "/faults", { rules: [] });
    // A duplicate name (6240) on the single lane: an issue, not a stopped pass.
    const ops = customerCreates("A", 35).map((op) => ({
      ...op,
      requestId: requestIdFor(["executor-test-again", op.clioId]),
      clioId: `again-${op.clioId}`,
    }));
    const stats = await executeOperations(engine.deps, ops, { runId: "run-d" });
    assert.equal(stats.failed, 35);
    const issues = await engine.store.listIssues({ state: "open" });
    assert.equal(issues.filter((i) => i.code === "qbo_duplicate_name").length, 35);
  });
});
