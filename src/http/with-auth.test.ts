import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../core/clock.ts";
import { isLexError } from "../core/errors.ts";
import { singleFlightTokens, type TokenSet } from "./single-flight-tokens.ts";
import type { HttpRequest } from "./types.ts";
import { withAuth } from "./with-auth.ts";

/** A server that accepts only the current token and counts requests per token. */
function tokenServer() {
  const state = { valid: "access-1", seen: [] as string[] };
  const send = async (request: HttpRequest) => {
    const header = request.headers?.Authorization ?? "";
    state.seen.push(header);
    return new Response(null, { status: header === `Bearer ${state.valid}` ? 200 : 401 });
  };
  return { state, send };
}

describe("withAuth + singleFlightTokens", () => {
  it("refreshes once for 10 concurrent requests that all get a 401, then retries each once", async () => {
    const clock = new FakeClock();
    const server = tokenServer();
    server.state.valid = "access-2"; // the server has moved on: access-1 is now refused
    let refreshes = 0;
    const persisted: TokenSet[] = [];
    const tokens = singleFlightTokens({
      clock,
      initial: { accessToken: "access-1", refreshToken: "refresh-1" },
      refresh: async (refreshToken) => {
        refreshes++;
        assert.equal(refreshToken, "refresh-1");
        await new Promise((r) => setTimeout(r, 5)); // let every caller pile up behind it
        return { accessToken: "access-2", refreshToken: "refresh-2" };
      },
      onTokens: (t) => {
        persisted.push(t);
      },
    });
    const send = withAuth(server.send, tokens);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send({ method: "GET", url: `https://x.test/${i}` })),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(10).fill(200),
    );
    assert.equal(refreshes, 1, "one refresh shared by all callers");
    assert.deepEqual(
      persisted,
      [{ accessToken: "access-2", refreshToken: "refresh-2" }],
      "rotation persisted",
    );
    assert.equal(server.state.seen.length, 20, "each request sent at most twice");
    assert.equal(tokens.current().refreshToken, "refresh-2");
  });

  it("refreshes ahead of expiry without waiting for a 401", async () => {
    const clock = new FakeClock();
    const server = tokenServer();
    server.state.valid = "access-2";
    const tokens = singleFlightTokens({
      clock,
      initial: { accessToken: "access-1", refreshToken: "r1", expiresAt: clock.now() + 30_000 },
      refresh: async () => ({
        accessToken: "access-2",
        refreshToken: "r2",
        expiresAt: clock.now() + 3_600_000,
      }),
    });
    const response = await withAuth(server.send, tokens)({ method: "GET", url: "https://x.test/" });
    assert.equal(response.status, 200);
    assert.deepEqual(server.state.seen, ["Bearer access-2"]);
  });

  it("returns a second 401 to the caller instead of looping", async () => {
    const clock = new FakeClock();
    const server = tokenServer();
    server.state.valid = "never";
    let refreshes = 0;
    const tokens = singleFlightTokens({
      clock,
      initial: { accessToken: "a1", refreshToken: "r1" },
      refresh: async () => ({ accessToken: `a${++refreshes + 1}`, refreshToken: "r" }),
    });
    const response = await withAuth(server.send, tokens)({ method: "GET", url: "https://x.test/" });
    assert.equal(response.status, 401);
    assert.equal(refreshes, 1);
    assert.equal(server.state.seen.length, 2);
  });

  it("reports a refused refresh token as auth_refresh_failed, without the token in the message", async () => {
    const clock = new FakeClock();
    const tokens = singleFlightTokens({
      clock,
      initial: { accessToken: "a1", refreshToken: "refresh-secret-xyz" },
      refresh: async () => {
        throw new Error("invalid_grant");
      },
    });
    const send = withAuth(async () => new Response(null, { status: 401 }), tokens);
    await assert.rejects(send({ method: "GET", url: "https://x.test/" }), (e) => {
      assert.ok(isLexError(e, "auth_refresh_failed"));
      assert.doesNotMatch(JSON.stringify(e), /refresh-secret-xyz/);
      return true;
    });
  });
});
