import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { RateLimiter } from "../http/rate-limiter.ts";
import { observeRateWaits } from "./rate-wait-observer.ts";

describe("observeRateWaits", () => {
  it("reports a request that waited for its budget, with how long, and not one that went at once", async () => {
    const clock = new FakeClock();
    const waits: number[] = [];
    const limiter = observeRateWaits(
      new RateLimiter(clock, () => ({ lanes: { default: { limit: 1, windowMs: 60_000 } } })),
      clock,
      (ms) => waits.push(ms),
    );
    (await limiter.acquire("k"))();
    assert.deepEqual(waits, [], "the first went at once");
    const second = limiter.acquire("k");
    await clock.advance(60_000);
    (await second)();
    assert.deepEqual(waits, [60_000]);
  });
});
