import assert from "node:assert/strict";
import { it } from "node:test";
import { LoginLimiter } from "./login-limiter.ts";

it("five failures within a minute block the key until the minute is over; other keys are not blocked", () => {
  let now = 1_000_000;
  const limiter = new LoginLimiter({ now: () => now });
  for (let i = 0; i < 4; i++) limiter.recordFailure(["ip:1", "user:admin"]);
  assert.equal(limiter.retryAfterSeconds(["ip:1"]), 0, "four failures are allowed");
  limiter.recordFailure(["ip:1", "user:admin"]);
  now += 20_000;
  assert.equal(limiter.retryAfterSeconds(["ip:1", "user:other"]), 40);
  assert.equal(limiter.retryAfterSeconds(["ip:2", "user:admin"]), 40, "per user as well as per address");
  assert.equal(limiter.retryAfterSeconds(["ip:2", "user:other"]), 0);
  now += 40_000;
  assert.equal(limiter.retryAfterSeconds(["ip:1", "user:admin"]), 0, "the window is over");
});

it("a successful login clears the user's failures", () => {
  const limiter = new LoginLimiter({ now: () => 0 }, 2);
  limiter.recordFailure(["user:admin"]);
  limiter.clear("user:admin");
  limiter.recordFailure(["user:admin"]);
  assert.equal(limiter.retryAfterSeconds(["user:admin"]), 0);
});
