import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { PassRunner } from "./pass-runner.ts";

/** A pass that waits until the test lets it finish, so overlap can be observed. */
function controlledPasses() {
  const started: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const run = () =>
    new Promise<unknown>((resolve) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      started.push(() => {
        running -= 1;
        resolve({ pass: started.length });
      });
    });
  return { run, started, maxRunning: () => maxRunning };
}

it("requests made while a pass runs share one more pass after it; passes never overlap", async () => {
  const passes = controlledPasses();
  const runner = new PassRunner(passes.run, new FakeClock(), silentLogger);
  const first = runner.runNow();
  const second = runner.runNow();
  const third = runner.runNow();
  assert.equal(second, third, "one queued pass serves both requests");
  assert.equal(passes.started.length, 1);
  assert.equal(runner.status().running, true);
  passes.started[0]!();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(passes.started.length, 2, "the queued pass starts once the first has finished");
  passes.started[1]!();
  await second;
  assert.equal(passes.maxRunning(), 1);
  assert.equal(runner.status().running, false);
  assert.deepEqual(runner.status().lastSummary, { pass: 2 });
});

it("a failed pass is recorded and cleared by the next good one; the interval goes on", async () => {
  const clock = new FakeClock();
  let calls = 0;
  const runner = new PassRunner(
    async () => {
      calls += 1;
      if (calls === 1) throw new Error("Clio is down");
      return { ok: true };
    },
    clock,
    silentLogger,
  );
  runner.startEvery(60_000);
  await clock.advance(0);
  assert.equal(runner.status().lastError, "Clio is down");
  await clock.advance(60_000);
  assert.equal(calls, 2);
  assert.equal(runner.status().lastError, undefined);
  await runner.stop();
  await clock.advance(600_000);
  assert.equal(calls, 2, "no pass after stop");
});

it("an exclusive task waits for the running pass, and a pass requested meanwhile waits for the task", async () => {
  const passes = controlledPasses();
  const runner = new PassRunner(passes.run, new FakeClock(), silentLogger);
  const pass = runner.runNow();
  const order: string[] = [];
  let finishTask: () => void = () => {};
  const task = runner.runExclusive(async () => {
    order.push(`task starts after ${passes.started.length} pass(es) began`);
    await new Promise<void>((resolve) => {
      finishTask = resolve;
    });
    return "report";
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], "the task waits for the pass");
  passes.started[0]!();
  await pass;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ["task starts after 1 pass(es) began"]);
  const later = runner.runNow();
  await new Promise((r) => setImmediate(r));
  assert.equal(passes.started.length, 1, "no pass starts while the task runs");
  finishTask();
  assert.equal(await task, "report");
  await new Promise((r) => setImmediate(r));
  assert.equal(passes.started.length, 2, "the requested pass runs right after the task");
  passes.started[1]!();
  await later;
  assert.equal(passes.maxRunning(), 1);
});
