import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { isLexError, LexError } from "../core/errors.ts";
import { scriptedSender } from "../testing/scripted-sender.ts";
import { settleWithClock } from "../testing/settle.ts";
import { withRetry } from "./with-retry.ts";

const GET = { method: "GET", url: "https://api.example.test/v3/company/1/customer/5" };
const POST = { method: "POST", url: "https://api.example.test/v3/company/1/invoice", body: "{}" };

const settle = settleWithClock;

describe("withRetry", () => {
  it("waits at least Retry-After (seconds) after a 429, then returns the 200", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([
      { status: 429, headers: { "retry-after": "7" } },
      { status: 200, body: "ok" },
    ]);
    const waits: number[] = [];
    const send = withRetry(sender, { clock, random: () => 0, onRetry: (i) => waits.push(i.delayMs) });
    const started = clock.now();
    const response = await settle(clock, send(GET));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "ok");
    assert.deepEqual(waits, [7000]);
    assert.ok(clock.now() - started >= 7000);
    assert.deepEqual(
      sender.calls.map((c) => c.attempt),
      [1, 2],
    );
  });

  it("waits throttleWaitMs after a 429 that names no Retry-After (and only after a 429)", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 429 }, { status: 503 }, { status: 200 }]);
    const waits: number[] = [];
    const send = withRetry(sender, {
      clock,
      random: () => 0,
      throttleWaitMs: 60_000,
      onRetry: (i) => waits.push(i.delayMs),
    });
    assert.equal((await settle(clock, send(GET))).status, 200);
    assert.deepEqual(waits, [60_000, 0], "the 503 after it backs off as usual");
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 12)).toUTCString();
    const sender = scriptedSender([{ status: 503, headers: { "retry-after": at } }, { status: 200 }]);
    const waits: number[] = [];
    const send = withRetry(sender, { clock, random: () => 0, onRetry: (i) => waits.push(i.delayMs) });
    assert.equal((await settle(clock, send(GET))).status, 200);
    assert.deepEqual(waits, [12_000]);
  });

  it("retries 503 several times with growing, capped, jittered waits, then succeeds", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 200 },
    ]);
    const waits: number[] = [];
    const send = withRetry(sender, {
      clock,
      baseDelayMs: 100,
      maxDelayMs: 500,
      random: () => 0.999,
      onRetry: (i) => waits.push(Math.round(i.delayMs)),
    });
    assert.equal((await settle(clock, send(GET))).status, 200);
    assert.equal(sender.calls.length, 5);
    assert.deepEqual(waits, [100, 200, 400, 500]);
  });

  it("full jitter: a wait is a random share of the exponential ceiling", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 500 }, { status: 200 }]);
    const waits: number[] = [];
    const send = withRetry(sender, {
      clock,
      baseDelayMs: 1000,
      random: () => 0.25,
      onRetry: (i) => waits.push(i.delayMs),
    });
    await settle(clock, send(GET));
    assert.deepEqual(waits, [250]);
  });

  it("gives up with http_retries_exhausted naming the number of attempts", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 502 }]);
    const send = withRetry(sender, { clock, maxAttempts: 3, random: () => 0 });
    await assert.rejects(settle(clock, send(GET)), (e) => {
      assert.ok(isLexError(e, "http_retries_exhausted"));
      assert.equal(e.details.attempts, 3);
      assert.equal(e.status, 502);
      assert.match(e.message, /after 3 attempts/);
      return true;
    });
    assert.equal(sender.calls.length, 3);
  });

  it("never repeats a write without an idempotency key", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 503 }, { status: 200 }]);
    const send = withRetry(sender, { clock, random: () => 0 });
    assert.equal((await settle(clock, send(POST))).status, 503);
    assert.equal(sender.calls.length, 1);

    const failing = scriptedSender([{ error: new LexError("http_network", "reset") }, { status: 200 }]);
    await assert.rejects(settle(clock, withRetry(failing, { clock })(POST)), (e) =>
      isLexError(e, "http_network"),
    );
    assert.equal(failing.calls.length, 1);
  });

  it("repeats a read sent as a POST (a query) when it is marked safe to repeat", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 503 }, { status: 200 }]);
    const send = withRetry(sender, { clock, random: () => 0 });
    assert.equal((await settle(clock, send({ ...POST, safeToRepeat: true }))).status, 200);
    assert.equal(sender.calls.length, 2);
  });

  it("repeats a write that carries an idempotency key", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ error: new LexError("http_timeout", "slow") }, { status: 200 }]);
    const send = withRetry(sender, { clock, random: () => 0 });
    const response = await settle(clock, send({ ...POST, idempotencyKey: "req-1" }));
    assert.equal(response.status, 200);
    assert.equal(sender.calls.length, 2);
    assert.equal(sender.calls[1]?.idempotencyKey, "req-1");
  });

  it("does not retry a non-retryable status or a non-transient error", async () => {
    const clock = new FakeClock();
    const sender = scriptedSender([{ status: 400 }]);
    assert.equal((await settle(clock, withRetry(sender, { clock })(GET))).status, 400);
    assert.equal(sender.calls.length, 1);
    const defect = scriptedSender([{ error: new TypeError("bug") }]);
    await assert.rejects(settle(clock, withRetry(defect, { clock })(GET)), TypeError);
    assert.equal(defect.calls.length, 1);
  });
});
