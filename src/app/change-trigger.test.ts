import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { createLogger, silentLogger } from "../core/logger.ts";
import type { SyncTargets } from "../engine/targeted-reads.ts";
import { ChangeTrigger, type TargetedOutcome } from "./change-trigger.ts";

/** A runner whose passes end when the test says so. */
function fakeRunner() {
  const ends: Array<() => void> = [];
  let lastError: string | undefined;
  return {
    passes: () => ends.length,
    finish: (error?: string) => {
      lastError = error;
      ends.shift()?.();
    },
    runNow: () => new Promise<void>((resolve) => ends.push(resolve)),
    status: () => (lastError === undefined ? {} : { lastError }),
  };
}

describe("ChangeTrigger", () => {
  it("gathers the deliveries of one second into one pass, and measures each from its receipt", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const covered: Array<[string, number]> = [];
    const trigger = new ChangeTrigger({
      runner,
      clock,
      logger: silentLogger,
      debounceMs: 1000,
      onCovered: (provider, ms) => covered.push([provider, ms]),
    });
    trigger.notify(clock.now(), [{ provider: "clio", kind: "contact", id: "1", event: "updated" }]);
    await clock.advance(400);
    trigger.notify(clock.now(), [{ provider: "qbo", kind: "Customer", id: "9", event: "Update" }]);
    assert.equal(runner.passes(), 0, "still waiting for more");
    await clock.advance(600);
    assert.equal(runner.passes(), 1, "one pass for both");
    await clock.advance(2500); // the pass takes 2.5 s
    runner.finish();
    await trigger.idle();
    assert.deepEqual(covered, [
      ["clio", 3500],
      ["qbo", 3100],
    ]);
  });

  it("measures nothing when the pass failed (the next pass carries the change)", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const covered: number[] = [];
    const trigger = new ChangeTrigger({
      runner,
      clock,
      logger: silentLogger,
      onCovered: (_p, ms) => covered.push(ms),
    });
    trigger.notify(clock.now(), [{ provider: "qbo", kind: "Invoice", id: "3", event: "Update" }]);
    await clock.advance(1000);
    runner.finish("QuickBooks is down");
    await trigger.idle();
    assert.deepEqual(covered, []);
  });

  it("syncs the deliveries that came while a sync ran right after it, together, and none after stop", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const trigger = new ChangeTrigger({ runner, clock, logger: silentLogger });
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "5", event: "updated" }]);
    await clock.advance(1000);
    assert.equal(runner.passes(), 1);
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "5", event: "updated" }]);
    trigger.notify(clock.now(), [{ provider: "clio", kind: "contact", id: "7", event: "updated" }]);
    await clock.advance(3000);
    assert.equal(runner.passes(), 1, "waits for the running sync");
    runner.finish();
    await clock.advance(0);
    assert.equal(runner.passes(), 1, "then one more for both, at once: they waited out the debounce");
    runner.finish();
    await trigger.idle();
    trigger.stop();
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "6", event: "created" }]);
    await clock.advance(5000);
    await trigger.idle();
    assert.equal(runner.passes(), 0, "nothing after stop");
  });

  it("runs a targeted sync of the records named together, and measures each from its receipt", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const calls: Array<[SyncTargets, number]> = [];
    const ends: Array<(o: TargetedOutcome) => void> = [];
    const covered: Array<[string, number]> = [];
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const trigger = new ChangeTrigger({
      runner,
      clock,
      logger,
      runTargeted: (targets, records) => {
        calls.push([targets, records]);
        return new Promise((resolve) => ends.push(resolve));
      },
      onCovered: (provider, ms) => covered.push([provider, ms]),
    });
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "31", event: "created" }]);
    await clock.advance(300);
    trigger.notify(clock.now(), [{ provider: "qbo", kind: "customer", id: "58", event: "updated" }]);
    await clock.advance(700);
    await clock.advance(800); // the targeted sync takes 0.8 s
    ends.shift()?.("done");
    await trigger.idle();
    assert.deepEqual(calls, [[{ contacts: [], bills: ["31"], qbo: [{ entity: "Customer", id: "58" }] }, 2]]);
    assert.equal(runner.passes(), 0, "no pass");
    assert.deepEqual(
      lines.map((l) => [l.msg, l.records]),
      [["webhook: targeted sync of 2 records", ["clio:bill:31:created", "qbo:customer:58:updated"]]],
    );
    assert.deepEqual(covered, [
      ["clio", 1800],
      ["qbo", 1500],
    ]);
  });

  it("gives way to the pass when the records are not targetable or the targeted sync says so; a failure measures nothing", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const outcomes: TargetedOutcome[] = [{ fallback: "a payment spans more than 50 bills" }, "failed"];
    let targeted = 0;
    const covered: number[] = [];
    const trigger = new ChangeTrigger({
      runner,
      clock,
      logger: silentLogger,
      runTargeted: async () => {
        targeted++;
        return outcomes.shift()!;
      },
      onCovered: (_p, ms) => covered.push(ms),
    });
    trigger.notify(clock.now(), [{ provider: "qbo", kind: "Item", id: "3", event: "Update" }]);
    await clock.advance(1000);
    assert.equal(targeted, 0, "an item is not targeted");
    assert.equal(runner.passes(), 1);
    runner.finish();
    await trigger.idle();
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "9", event: "updated" }]);
    await clock.advance(1000);
    await Promise.resolve();
    assert.equal(targeted, 1);
    assert.equal(runner.passes(), 1, "the targeted sync gave way");
    runner.finish();
    await trigger.idle();
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "9", event: "updated" }]);
    await clock.advance(1000);
    await trigger.idle();
    assert.equal(targeted, 2);
    assert.equal(runner.passes(), 0, "a failed targeted sync leaves the change to the next pass");
    assert.deepEqual(covered, [1000, 1000]);
  });
});
