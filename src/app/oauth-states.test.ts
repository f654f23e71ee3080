import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { OAuthStates, STATE_TTL_MS } from "./oauth-states.ts";

describe("OAuth state", () => {
  it("is 256 random bits, different every time", () => {
    const states = new OAuthStates(new FakeClock(0));
    const a = states.issue("qbo");
    const b = states.issue("qbo");
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, "base64url").length, 32);
  });

  it("is accepted once, for its own purpose only", () => {
    const states = new OAuthStates(new FakeClock(0));
    const s = states.issue("qbo");
    assert.equal(states.consume(s, "clio"), "unknown");
    assert.equal(states.consume(s, "qbo"), "ok");
    assert.equal(states.consume(s, "qbo"), "unknown");
    assert.equal(states.consume(null, "qbo"), "unknown");
    assert.equal(states.consume("forged", "qbo"), "unknown");
  });

  it("expires after 10 minutes", async () => {
    const clock = new FakeClock(1_000);
    const states = new OAuthStates(clock);
    const fresh = states.issue("clio");
    const stale = states.issue("clio");
    await clock.advance(STATE_TTL_MS - 1);
    assert.equal(states.consume(fresh, "clio"), "ok");
    await clock.advance(1);
    assert.equal(states.consume(stale, "clio"), "expired");
  });
});
