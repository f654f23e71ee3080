import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { scriptedSender } from "../testing/scripted-sender.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { withRateLimit } from "./with-rate-limit.ts";

const qboLimits = () => ({ lanes: { default: { limit: 500 }, batch: { limit: 40 } }, concurrency: 10 });

/** When each of `n` requests for key `k` got its slot, from now (the clock run 10 s ahead). */
async function acquireTimes(clock: FakeClock, limiter: RateLimiter, n: number): Promise<number[]> {
  const times: number[] = [];
  const start = clock.now();
  const runs = Array.from({ length: n }, async () => {
    const release = await limiter.acquire("k");
    times.push(clock.now() - start);
    release();
  });
  await clock.advance(10_000);
  await Promise.all(runs);
  return times;
}

describe("RateLimiter", () => {
  it("lets a full bucket through at once, then spaces requests at the refill rate", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 3, windowMs: 3000 } } }));
    assert.deepEqual(await acquireTimes(clock, limiter, 5), [0, 0, 0, 1000, 2000]);
  });

  it("stays a margin behind the server's count once the burst is spent, and says how long a lane waits", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({
      lanes: { default: { limit: 3, windowMs: 3000, marginMs: 250 } },
    }));
    const times = await acquireTimes(clock, limiter, 5);
    // The burst goes at once but for its last token; then each request a quarter second after
    // its token exists.
    assert.deepEqual(times, [0, 0, 250, 1250, 2250]);
    assert.equal(limiter.waitMs("k", "default"), 0);
    (await limiter.acquire("k"))();
    (await limiter.acquire("k"))();
    assert.equal(limiter.waitMs("k", "default"), 250);
  });

  it("says how many requests a lane would let go now", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, (key) =>
      key === "realm"
        ? { lanes: { default: { limit: 10 }, batch: { limit: 4, windowMs: 4000 } } }
        : undefined,
    );
    assert.equal(limiter.available("realm", "batch"), 4);
    for (let i = 0; i < 3; i++) (await limiter.acquire("realm", "batch"))();
    assert.equal(limiter.available("realm", "batch"), 1);
    assert.equal(limiter.available("realm", "default"), 7);
    await clock.advance(2000);
    assert.equal(limiter.available("realm", "batch"), 3);
    assert.equal(limiter.available("other", "batch"), Number.POSITIVE_INFINITY);
    // A 429 paused the lane: nothing may go until it ends, tokens or not.
    limiter.pause("realm", "batch", 1000);
    assert.equal(limiter.available("realm", "batch"), 0);
    await clock.advance(1000);
    assert.equal(limiter.available("realm", "batch"), 4, "refilled to the burst meanwhile");
  });

  it("keeps lanes apart but counts a batch call against the general budget too", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 5 }, batch: { limit: 2 } } }));
    for (let i = 0; i < 2; i++) (await limiter.acquire("realm", "batch"))();
    let third = false;
    const pending = limiter.acquire("realm", "batch").then((r) => {
      third = true;
      r();
    });
    await clock.advance(1000);
    assert.equal(third, false, "the batch lane is empty");
    (await limiter.acquire("realm"))(); // the default lane still has 3 - 0 tokens left
    await clock.advance(30_000);
    await pending;
    assert.equal(third, true);
  });

  it("draws every request, batch or not, from each everyRequest lane", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({
      lanes: {
        default: { limit: 500 },
        second: { limit: 2, windowMs: 1000, burst: 1 },
        batch: { limit: 40 },
      },
      everyRequest: ["default", "second"],
    }));
    const start = clock.now();
    const times: number[] = [];
    const runs = ["default", "batch", "default", "batch"].map(async (lane) => {
      (await limiter.acquire("realm", lane))();
      times.push(clock.now() - start);
    });
    await clock.advance(5_000);
    await Promise.all(runs);
    assert.deepEqual(times, [0, 500, 1000, 1500], "2 a second, 500 ms apart, whatever the lane");
  });

  it("a 429 without Retry-After pauses the key for its throttleWaitMs", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({
      lanes: { default: { limit: 500 } },
      throttleWaitMs: 60_000,
    }));
    const send = withRateLimit(scriptedSender([{ status: 429 }, { status: 200 }]), limiter);
    await send({ method: "GET", url: "https://x.test/a", rateKey: "qbo:1" });
    const t0 = clock.now();
    let after = -1;
    const next = send({ method: "GET", url: "https://x.test/b", rateKey: "qbo:1" }).then(() => {
      after = clock.now() - t0;
    });
    await clock.advance(59_999);
    assert.equal(after, -1, "still paused");
    await clock.advance(1);
    await next;
    assert.equal(after, 60_000);
  });

  it("caps requests in flight per key", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, qboLimits);
    const releases = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire("r1")));
    assert.equal(limiter.inFlight("r1"), 10);
    let eleventh = false;
    const waiting = limiter.acquire("r1").then((release) => {
      eleventh = true;
      return release;
    });
    await clock.advance(0);
    assert.equal(eleventh, false);
    releases[0]?.();
    (await waiting)();
    assert.equal(eleventh, true);
    for (const r of releases.slice(1)) r();
    assert.equal(limiter.inFlight("r1"), 0);
    assert.equal(limiter.inFlight("other"), 0, "keys do not share a budget");
  });

  it("follows X-RateLimit headers and pauses after a 429 for Retry-After", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 50 } } }));
    const resetEpoch = String(Math.floor(clock.now() / 1000) + 30);
    const sender = scriptedSender([
      {
        status: 200,
        headers: { "x-ratelimit-limit": "50", "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetEpoch },
      },
      { status: 200 },
    ]);
    const send = withRateLimit(sender, limiter);
    await send({ method: "GET", url: "https://x.test/a", rateKey: "clio:t" });
    const start = clock.now();
    let sentAt = -1;
    const second = send({ method: "GET", url: "https://x.test/b", rateKey: "clio:t" }).then(() => {
      sentAt = clock.now() - start;
    });
    await clock.advance(60_000);
    await second;
    assert.ok(sentAt >= 29_000 && sentAt <= 31_000, `waited for the window reset (${sentAt} ms)`);

    const throttled = scriptedSender([{ status: 429, headers: { "retry-after": "20" } }, { status: 200 }]);
    const send429 = withRateLimit(throttled, limiter);
    await send429({ method: "GET", url: "https://x.test/c", rateKey: "clio:u" });
    const t0 = clock.now();
    let after = -1;
    const next = send429({ method: "GET", url: "https://x.test/d", rateKey: "clio:u" }).then(() => {
      after = clock.now() - t0;
    });
    await clock.advance(60_000);
    await next;
    assert.ok(after >= 19_000, `paused after the 429 (${after} ms)`);
  });

  it("a 429 pauses the lane without spending the tokens it still has", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 60 } } }));
    (await limiter.acquire("k"))();
    limiter.pause("k", "default", 2000);
    const start = clock.now();
    const times: number[] = [];
    const runs = Array.from({ length: 5 }, async () => {
      (await limiter.acquire("k"))();
      times.push(clock.now() - start);
    });
    await clock.advance(3000);
    await Promise.all(runs);
    assert.deepEqual(
      times,
      [2000, 2000, 2000, 2000, 2000],
      "after the pause the remaining burst goes at once",
    );
  });

  it("tells the headroom of each budget used so far: what may go now, the burst, the refill", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, (key) => (key === "unlimited" ? undefined : qboLimits()));
    assert.deepEqual(limiter.headroom(), [], "no budget before a request");
    for (let i = 0; i < 3; i++) (await limiter.acquire("realm", "batch"))();
    (await limiter.acquire("unlimited"))();
    assert.deepEqual(limiter.headroom(), [
      { key: "realm", lane: "default", available: 497, capacity: 500, perMinute: 500 },
      { key: "realm", lane: "batch", available: 37, capacity: 40, perMinute: 40 },
    ]);
    await clock.advance(3_000); // 2 batch tokens come back in 3 s at 40 a minute
    assert.equal(limiter.headroom().find((l) => l.lane === "batch")?.available, 39);
  });

  it("passes requests without a rate key straight through", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 1 } } }));
    const sender = scriptedSender([{ status: 200 }]);
    const send = withRateLimit(sender, limiter);
    for (let i = 0; i < 5; i++) await send({ method: "GET", url: "https://x.test/" });
    assert.equal(sender.calls.length, 5);
  });
});
