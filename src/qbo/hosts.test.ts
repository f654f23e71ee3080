import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discoverIntuitOAuth, INTUIT_DISCOVERY, INTUIT_OAUTH, qboEnvironmentOfUrl } from "./hosts.ts";

const doc = (over: Record<string, string> = {}) =>
  ({
    authorization_endpoint: "https://appcenter.intuit.com/connect/oauth2/v2",
    token_endpoint: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
    revocation_endpoint: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
    ...over,
  }) as Record<string, string>;

function serving(body: unknown, status = 200): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  const impl = (async (url: string) => {
    asked.push(String(url));
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fetch: impl, asked };
}

describe("Intuit's OAuth addresses", () => {
  it("come from the discovery document of the environment", async () => {
    const s = serving(doc());
    const found = await discoverIntuitOAuth("sandbox", s.fetch);
    assert.deepEqual(s.asked, [INTUIT_DISCOVERY.sandbox]);
    assert.equal(found.source, "discovery");
    assert.equal(found.endpoints.authorize, "https://appcenter.intuit.com/connect/oauth2/v2");
  });

  it("fall back to the documented ones when the document fails, is malformed or names another host", async () => {
    const failing = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    for (const impl of [
      failing,
      serving(doc(), 500).fetch,
      serving({ nope: 1 }).fetch,
      serving(doc({ token_endpoint: "https://evil.example/token" })).fetch,
      serving(doc({ token_endpoint: "http://oauth.platform.intuit.com/token" })).fetch,
    ]) {
      assert.deepEqual(await discoverIntuitOAuth("production", impl), {
        endpoints: INTUIT_OAUTH,
        source: "documented",
      });
    }
  });

  it("tell Intuit's API hosts from emulators", () => {
    assert.equal(qboEnvironmentOfUrl("https://quickbooks.api.intuit.com"), "production");
    assert.equal(qboEnvironmentOfUrl("https://sandbox-quickbooks.api.intuit.com/"), "sandbox");
    assert.equal(qboEnvironmentOfUrl("https://other.intuit.com"), "unknown");
    assert.equal(qboEnvironmentOfUrl("http://127.0.0.1:4002"), undefined);
  });
});
