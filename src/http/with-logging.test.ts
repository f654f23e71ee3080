import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { LexError } from "../core/errors.ts";
import { createLogger, memoryDestination } from "../core/logger.ts";
import { scriptedSender } from "../testing/scripted-sender.ts";
import { withAuth } from "./with-auth.ts";
import { withLogging } from "./with-logging.ts";

describe("withLogging", () => {
  it("logs method, path, status, duration, attempt and request ids — and never the token", async () => {
    const clock = new FakeClock();
    const out = memoryDestination();
    const logger = createLogger({ destination: out });
    const sender = scriptedSender([{ status: 200, headers: { intuit_tid: "tid-42" } }]);
    const tokens = {
      accessToken: async () => "tok-very-secret-123",
      refresh: async () => "tok-very-secret-456",
    };
    const send = withAuth(withLogging(sender, logger, clock), tokens);
    await send({
      method: "POST",
      url: "https://api.test/v3/company/9/invoice?requestid=abc&minorversion=75&access_token=tok-very-secret-123",
      body: JSON.stringify({ token: "tok-very-secret-123" }),
      idempotencyKey: "abc",
      attempt: 2,
    });
    assert.equal(sender.calls[0]?.headers?.Authorization, "Bearer tok-very-secret-123", "the token was sent");
    const text = out.lines.join("\n");
    assert.doesNotMatch(text, /tok-very-secret/);
    const [line] = out.records();
    assert.equal(line?.method, "POST");
    assert.equal(line?.path, "/v3/company/9/invoice?requestid=abc&minorversion=75&access_token=[redacted]");
    assert.equal(line?.status, 200);
    assert.equal(line?.attempt, 2);
    assert.equal(line?.requestId, "abc");
    assert.equal(line?.providerRequestId, "tid-42");
    assert.equal(typeof line?.durationMs, "number");
  });

  it("logs a failed attempt with its error code and rethrows", async () => {
    const clock = new FakeClock();
    const out = memoryDestination();
    const sender = scriptedSender([{ error: new LexError("http_network", "socket hang up") }]);
    const send = withLogging(sender, createLogger({ destination: out }), clock);
    await assert.rejects(send({ method: "GET", url: "https://api.test/x" }), /socket hang up/);
    assert.equal(out.records()[0]?.errorCode, "http_network");
  });
});
