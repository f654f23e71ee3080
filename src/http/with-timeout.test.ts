import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import { settleWithClock } from "../testing/settle.ts";
import type { HttpRequest } from "./types.ts";
import { withRetry } from "./with-retry.ts";
import { withTimeout } from "./with-timeout.ts";

const GET = { method: "GET", url: "https://api.example.test/api/v4/contacts" };

/** A sender that answers only after `delayMs` of (fake) time, and honours abort signals. */
function slowSender(clock: FakeClock, delayMs: number) {
  const seen: AbortSignal[] = [];
  const send = (request: HttpRequest) =>
    new Promise<Response>((resolve, reject) => {
      if (request.signal) seen.push(request.signal);
      const cancel = clock.setTimer(() => resolve(new Response("late")), delayMs);
      request.signal?.addEventListener("abort", () => {
        cancel();
        reject(request.signal?.reason);
      });
    });
  return Object.assign(send, { seen });
}

describe("withTimeout", () => {
  it("aborts a request that takes longer than the timeout with http_timeout", async () => {
    const clock = new FakeClock();
    const sender = slowSender(clock, 10_000);
    const send = withTimeout(sender, { clock, timeoutMs: 2000 });
    await assert.rejects(settleWithClock(clock, send(GET), 500), (e) => {
      assert.ok(isLexError(e, "http_timeout"));
      assert.equal(e.details.timeoutMs, 2000);
      return true;
    });
    assert.equal(sender.seen[0]?.aborted, true, "the underlying request was aborted");
  });

  it("lets a fast response through and leaves no timer behind", async () => {
    const clock = new FakeClock();
    const send = withTimeout(slowSender(clock, 100), { clock, timeoutMs: 2000 });
    const response = await settleWithClock(clock, send(GET), 50);
    assert.equal(await response.text(), "late");
    assert.equal(clock.pending, 0);
  });

  it("a timed-out read is retried, and succeeds when the server answers in time", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const inner = slowSender(clock, 5000);
    const fast = slowSender(clock, 10);
    const send = withRetry(
      withTimeout((r) => (++calls === 1 ? inner(r) : fast(r)), { clock, timeoutMs: 1000 }),
      { clock, random: () => 0 },
    );
    const response = await settleWithClock(clock, send(GET), 100);
    assert.equal(response.status, 200);
    assert.equal(calls, 2);
  });

  it("keeps the caller's own abort reason", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const send = withTimeout(slowSender(clock, 10_000), { clock, timeoutMs: 5000 });
    const pending = send({ ...GET, signal: controller.signal });
    controller.abort(new Error("user cancelled"));
    await assert.rejects(pending, /user cancelled/);
  });
});
