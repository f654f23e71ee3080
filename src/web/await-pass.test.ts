import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { awaitPass, PASS_WAIT_MS } from "./await-pass.ts";

it("waits for a pass that finishes in time, and answers anyway when it runs on", async () => {
  const clock = new FakeClock();
  assert.equal(await awaitPass({ runNow: async () => {} }, clock), true);
  assert.equal(clock.pending, 0, "the timeout is cancelled");
  const slow = awaitPass({ runNow: () => new Promise<void>(() => {}) }, clock);
  await clock.advance(PASS_WAIT_MS);
  assert.equal(await slow, false);
});
