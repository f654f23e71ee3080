import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEngine, type EngineHandle } from "../app/engine-factory.ts";
import { silentLogger } from "../core/logger.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { executeOperations, replayOutbox } from "./executor.ts";
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

  /**
   * The engine's deps with `workers` batch workers (default one) and a batch lane that has room
   * for one batch only (then it is spent: single writes take the rest), or room for every batch.
   */
  const withBatchLane = (room: "one batch" | "every batch", workers = 1) => {
    const seen = watch(pair);
    const spent = () => room === "one batch" && seen.batches >= 1;
    const deps = {
      ...engine.deps,
      settings: { ...engine.deps.settings, batchConcurrency: workers },
      qboBatchLaneWaitMs: () => (spent() ? 1000 : 0),
      qboBatchLaneRoom: () => (spent() ? 0 : room === "one batch" ? 1 : 1000),
    };
    return { deps, seen };
  };

  it("with room for one batch, four batch workers take writes for one batch, and the single-write workers send the rest", async () => {
    const { deps, seen } = withBatchLane("one batch", 4);
    const ops = customerCreates("Q", 100);
    const stats = await executeOperations(deps, ops, { runId: "run-q" });
    assert.deepEqual(stats, { sent: 100, succeeded: 100, failed: 0, batches: 1 });
    assert.equal(seen.batches, 1);
    assert.equal(seen.singles.length, 70);
    assert.equal((await customersIn(pair, "Q")).length, 100);
  });

  it("sends batches only while the batch lane has room: a call carries 30 writes, not one", async () => {
    const { deps, seen } = withBatchLane("every batch");
    const stats = await executeOperations(deps, customerCreates("Z", 70), { runId: "run-z" });
    assert.deepEqual(stats, { sent: 70, succeeded: 70, failed: 0, batches: 3 });
    assert.deepEqual(seen, { batches: 3, singles: [] });
  });

  it("spends the rest on single writes while the batch lane is spent, each write once, under its own requestid", async () => {
    const { deps, seen } = withBatchLane("one batch");
    const ops = customerCreates("A", 42);
    const stats = await executeOperations(deps, ops, { runId: "run-a" });
    assert.deepEqual(stats, { sent: 42, succeeded: 42, failed: 0, batches: 1 });
    assert.equal(seen.batches, 1);
    // The batch took the first 30, single writes the last 12, each under its own requestid.
    assert.deepEqual(
      seen.singles.sort(),
      ops
        .slice(30)
        .map((o) => o.requestId)
        .sort(),
    );
    assert.equal((await customersIn(pair, "A")).length, 42);
    for (const op of ops) assert.ok(await engine.store.getLink("customer", op.clioId), op.clioId);
    assert.equal((await engine.store.pendingOperations()).length, 0);
  });

  it("leaves single writes that failed as requests in the outbox, and replays them under the same requestids", async () => {
    await pair.qboAdmin("PUT", "/faults", { rules: [{ kind: "500", path: "/customer", count: 1000 }] });
    const ops = customerCreates("B", 40);
    const { deps, seen: first } = withBatchLane("one batch");
    await assert.rejects(executeOperations(deps, ops, { runId: "run-b" }));
    const pending = await engine.store.pendingOperations();
    const sentAlone = pending.filter((o) => o.batchId === o.requestId).map((o) => o.requestId);
    assert.ok(sentAlone.length > 0);
    assert.ok(sentAlone.every((id) => first.singles.includes(id)));

    // The next run: the answers of the first writes were lost after QBO carried them out.
    await pair.qboAdmin("PUT", "/faults", { rules: [{ kind: "lost", path: "/customer", count: 5 }] });
    const seen = watch(pair);
    const replayed = await replayOutbox(engine.deps, { runId: "run-c" });
    assert.equal(replayed.succeeded, pending.length);
    for (const id of sentAlone) assert.ok(seen.singles.includes(id), `${id} sent alone again`);
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
    const stats = await executeOperations(withBatchLane("one batch").deps, ops, { runId: "run-d" });
    assert.equal(stats.failed, 35);
    const issues = await engine.store.listIssues({ state: "open" });
    assert.equal(issues.filter((i) => i.code === "qbo_duplicate_name").length, 35);
  });

  it("sends a phase's first chunk while its planner is still planning the rest", {
    timeout: 60_000,
  }, async () => {
    const { deps, seen } = withBatchLane("every batch");
    const ops = customerCreates("C", 60);
    let firstSent: () => void = () => {};
    const sent = new Promise<void>((resolve) => {
      firstSent = resolve;
    });
    const listener = pair.qbo.emulator.core.requests.listener;
    pair.qbo.emulator.core.requests.listener = (request) => {
      listener?.(request);
      if (seen.batches >= 1) firstSent();
    };
    async function* planner() {
      yield ops.slice(0, 30);
      // Planning the rest waits for the first batch: an executor waiting for the whole plan would hang.
      await sent;
      yield ops.slice(30);
    }
    const stats = await executeOperations(deps, planner(), { runId: "run-e" });
    assert.deepEqual(stats, { sent: 60, succeeded: 60, failed: 0, batches: 2 });
    assert.equal((await customersIn(pair, "C")).length, 60);
  });

  it("keeps the planner at most the queue's bound ahead of what QBO received", async () => {
    const { deps, seen } = withBatchLane("every batch");
    const ops = customerCreates("D", 300);
    let furthestAhead = 0;
    async function* planner() {
      for (let i = 0; i < ops.length; i += 30) {
        furthestAhead = Math.max(furthestAhead, i - 30 * seen.batches);
        yield ops.slice(i, i + 30);
      }
    }
    const stats = await executeOperations(deps, planner(), { runId: "run-f" }, { queuedAtMost: 90 });
    assert.deepEqual(stats, { sent: 300, succeeded: 300, failed: 0, batches: 10 });
    // The queue's bound, a chunk planned past it, and the one batch in flight.
    assert.ok(furthestAhead <= 90 + 30 + 30, `planned ${furthestAhead} writes ahead`);
    assert.ok(furthestAhead >= 90, `the planner ran ahead (${furthestAhead}): the bound was reached`);
  });

  it("sends a write its planner names in two chunks once, and its batch keeps it for a replay", async () => {
    const { deps } = withBatchLane("every batch");
    const ops = customerCreates("F", 31);
    let batchOfFirst: string | null | undefined;
    async function* planner() {
      yield ops.slice(0, 30);
      // The first chunk's batch is formed before the second chunk names one of its writes again.
      for (let i = 0; i < 100 && !batchOfFirst; i++) {
        batchOfFirst = (await engine.store.getOperation(ops[0]!.requestId))?.batchId;
        await new Promise((r) => setTimeout(r, 10));
      }
      yield [ops[0]!, ops[30]!];
    }
    const stats = await executeOperations(deps, planner(), { runId: "run-i" });
    assert.ok(batchOfFirst, "the first chunk went out in a batch");
    assert.equal(stats.sent, 31, "31 writes sent, not 32");
    const names = await customersIn(pair, "F");
    assert.equal(names.length, 31);
    assert.equal(new Set(names).size, 31, "no customer written twice");
    assert.equal((await engine.store.getOperation(ops[0]!.requestId))?.batchId, batchOfFirst);
  });

  it("stops the lanes when the planner fails; what it planned stays in the outbox and is sent once", async () => {
    const { deps } = withBatchLane("every batch");
    const ops = customerCreates("E", 30);
    async function* planner(): AsyncGenerator<PlannedOperation[]> {
      yield ops;
      throw new Error("planner failed");
    }
    await assert.rejects(executeOperations(deps, planner(), { runId: "run-g" }), /planner failed/);
    await replayOutbox(engine.deps, { runId: "run-h" });
    const names = await customersIn(pair, "E");
    assert.equal(names.length, 30);
    assert.equal(new Set(names).size, 30, "no customer written twice");
    assert.equal((await engine.store.pendingOperations()).length, 0);
  });
});
