import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./test-helpers.ts";

describe("Clio emulator rate limits (clio-api.md §3)", () => {
  it("defaults to 50 per 60 s window per token with X-RateLimit-* on every response, then 429 + Retry-After", async () => {
    const h = harness({ rateLimitPerMinute: 50 });
    let last: Awaited<ReturnType<typeof h.api>> | undefined;
    for (let i = 0; i < 50; i++) last = await h.api("GET", "contacts.json");
    assert.equal(last!.status, 200);
    assert.equal(last!.headers.get("X-RateLimit-Limit"), "50");
    assert.equal(last!.headers.get("X-RateLimit-Remaining"), "0");
    const reset = Number(last!.headers.get("X-RateLimit-Reset"));
    assert.equal(reset, Math.ceil((h.clock.now() + 60_000) / 1000));
    const limited = await h.api("GET", "contacts.json");
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("Retry-After"), "60");
    assert.ok(limited.json.error.type);
    await h.clock.advance(60_000);
    assert.equal((await h.api("GET", "contacts.json")).status, 200);
  });

  it("counts per access token", async () => {
    const h = harness({ rateLimitPerMinute: 2 });
    await h.api("GET", "contacts.json");
    await h.api("GET", "contacts.json");
    assert.equal((await h.api("GET", "contacts.json")).status, 429);
    const other = h.emulator.issueToken("other").access_token;
    const r = await h.emulator.app.request("/api/v4/contacts.json", {
      headers: { Authorization: `Bearer ${other}` },
    });
    assert.equal(r.status, 200);
  });

  it("scales the window with timeScale and follows quota changes from the admin API", async () => {
    const h = harness({ rateLimitPerMinute: 1, timeScale: 60 });
    await h.api("GET", "contacts.json");
    const limited = await h.api("GET", "contacts.json");
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("Retry-After"), "1");
    await h.clock.advance(1000);
    assert.equal((await h.api("GET", "contacts.json")).status, 200);
    await h.admin("PUT", "quotas", { rate_limit_per_minute: 7, time_scale: 1 });
    assert.equal((await h.api("GET", "contacts.json")).headers.get("X-RateLimit-Limit"), "7");
  });
});
