import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { ChangeTrigger } from "./change-trigger.ts";

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

  it("starts another pass for a delivery that came while the first ran, and none after stop", async () => {
    const clock = new FakeClock();
    const runner = fakeRunner();
    const trigger = new ChangeTrigger({ runner, clock, logger: silentLogger });
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "5", event: "updated" }]);
    await clock.advance(1000);
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "5", event: "updated" }]);
    await clock.advance(1000);
    assert.equal(runner.passes(), 2);
    runner.finish();
    runner.finish();
    trigger.stop();
    trigger.notify(clock.now(), [{ provider: "clio", kind: "bill", id: "6", event: "created" }]);
    await clock.advance(5000);
    await trigger.idle();
    assert.equal(runner.passes(), 0, "nothing after stop");
  });
});
