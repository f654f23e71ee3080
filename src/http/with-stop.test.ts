import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { isStopRequested, StopRequested } from "../core/stop.ts";
import { scriptedSender } from "../testing/scripted-sender.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { createHttpStack } from "./stack.ts";

const GET = { method: "GET", url: "https://api.example.test/api/v4/bills.json", rateKey: "clio:t" };

/** A stack whose budget allows one request a minute, so the second waits about 60 s. */
function stack(clock: FakeClock, transport: ReturnType<typeof scriptedSender>, stop: AbortSignal) {
  const limiter = new RateLimiter(clock, () => ({ lanes: { default: { limit: 1, windowMs: 60_000 } } }));
  return createHttpStack({
    transport,
    clock,
    logger: silentLogger,
    limiter,
    stop,
    retry: { maxAttempts: 5 },
  });
}

describe("withStop (the process's Ctrl+C in the HTTP stack)", () => {
  it("ends a wait for the rate budget at once, with the stop as the reason", async () => {
    const clock = new FakeClock();
    const transport = scriptedSender([{ status: 200 }]);
    const controller = new AbortController();
    const send = stack(clock, transport, controller.signal);
    await send(GET);
    const waiting = send(GET);
    await clock.advance(1000); // 59 s of the budget's wait still ahead
    controller.abort(new StopRequested("SIGINT"));
    await assert.rejects(waiting, (e) => isStopRequested(e));
    assert.equal(transport.calls.length, 1, "the waiting request never left");
  });

  it("ends a retry's backoff at once", async () => {
    const clock = new FakeClock();
    const transport = scriptedSender([{ status: 503, headers: { "retry-after": "30" } }]);
    const controller = new AbortController();
    const send = stack(clock, transport, controller.signal);
    const retrying = send({ ...GET, rateKey: "" });
    await clock.advance(1000);
    controller.abort(new StopRequested("SIGTERM"));
    await assert.rejects(retrying, (e) => isStopRequested(e) && e.signal === "SIGTERM");
    assert.equal(transport.calls.length, 1);
  });

  it("lets no request out once stopped", async () => {
    const clock = new FakeClock();
    const transport = scriptedSender([{ status: 200 }]);
    const send = stack(clock, transport, AbortSignal.abort(new StopRequested("SIGINT")));
    await assert.rejects(send(GET), (e) => isStopRequested(e));
    assert.equal(transport.calls.length, 0);
  });
});
