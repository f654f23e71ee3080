import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { QboConnection } from "./connections.ts";
import { REFRESH_WARNING_MS, tokenHealth } from "./token-health.ts";

const DAY = 24 * 3600 * 1000;
const now = Date.UTC(2026, 11, 1);

function qbo(refreshExpiresAt?: number): QboConnection {
  return {
    provider: "qbo",
    baseUrl: "https://quickbooks.api.intuit.com",
    environment: "production",
    realmId: "9130",
    companyName: "Doe Law",
    oauth: { authorize: "a", token: "t", revoke: "r" },
    tokens: { accessToken: "x", refreshToken: "y", ...(refreshExpiresAt ? { refreshExpiresAt } : {}) },
    connectedAt: now,
  };
}

describe("token health", () => {
  it("is silent while the refresh token has more than 14 days to live, or no known expiry", () => {
    assert.deepEqual(tokenHealth({ qbo: qbo(now + REFRESH_WARNING_MS + 1) }, now), []);
    assert.deepEqual(tokenHealth({ qbo: qbo() }, now), []);
    assert.deepEqual(tokenHealth({}, now), []);
  });

  it("warns from 14 days before the refresh token expires, naming the date and the reconnect", () => {
    const [w] = tokenHealth({ qbo: qbo(now + 3 * DAY) }, now);
    assert.equal(w?.status, "warn");
    assert.match(w?.message ?? "", /Doe Law.*2026-12-04 \(in 3 days\)/);
    assert.match(w?.fix ?? "", /lexbridge connect qbo/);
    assert.equal(tokenHealth({ qbo: qbo(now + REFRESH_WARNING_MS) }, now).length, 1);
  });

  it("fails once it has expired", () => {
    const [w] = tokenHealth({ qbo: qbo(now - DAY) }, now);
    assert.equal(w?.status, "fail");
    assert.match(w?.message ?? "", /expired on 2026-11-30/);
  });
});
