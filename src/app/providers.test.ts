import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { isLexError } from "../core/errors.ts";
import { clioProvider, qboProvider } from "./providers.ts";

const config = (flags: Record<string, unknown>) => loadConfig({ flags });
const creds = { clioClientId: "k", clioClientSecret: "s", qboClientId: "i", qboClientSecret: "t" };

describe("providers from the configuration", () => {
  it("Clio: a region by setting or by address; any other host is an emulator with placeholder credentials", () => {
    assert.equal(clioProvider(config(creds)).baseUrl, "https://app.clio.com");
    assert.equal(clioProvider(config({ ...creds, clioRegion: "au" })).baseUrl, "https://au.app.clio.com");
    const byUrl = clioProvider(config({ ...creds, clioBaseUrl: "https://ca.app.clio.com/" }));
    assert.deepEqual([byUrl.kind, byUrl.region, byUrl.baseUrl], ["clio", "ca", "https://ca.app.clio.com"]);
    const emulator = clioProvider(config({ clioBaseUrl: "http://127.0.0.1:4001" }));
    assert.deepEqual([emulator.kind, emulator.clientId], ["emulator", "lexbridge"]);
    assert.equal(emulator.redirectUri, "http://localhost:4000/oauth/callback");
  });

  it("QuickBooks: production or sandbox by setting or by address", () => {
    assert.equal(qboProvider(config(creds)).apiBase, "https://quickbooks.api.intuit.com");
    const sandbox = qboProvider(config({ ...creds, qboEnvironment: "sandbox" }));
    assert.deepEqual(
      [sandbox.apiBase, sandbox.webBase],
      ["https://sandbox-quickbooks.api.intuit.com", "https://app.sandbox.qbo.intuit.com"],
    );
    const emulator = qboProvider(config({ qboBaseUrl: "http://127.0.0.1:4002", port: 5000 }));
    assert.equal(emulator.oauth.token, "http://127.0.0.1:4002/oauth2/v1/tokens/bearer");
    assert.equal(emulator.redirectUri, "http://localhost:5000/oauth/callback");
  });

  it("refuses, naming the settings: missing credentials for a real host, conflicting regions, unknown hosts", () => {
    const refused = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(
        fn,
        (e: unknown) => isLexError(e) && e.code === "config_invalid" && pattern.test(e.message),
      );
    refused(() => clioProvider(config({ clioClientId: "k" })), /clioClientSecret \(--clio-client-secret/);
    refused(() => qboProvider(config({})), /qboClientId .* and qboClientSecret/);
    refused(
      () => clioProvider(config({ ...creds, clioRegion: "eu", clioBaseUrl: "https://app.clio.com" })),
      /clioRegion .* is eu but .* region us/,
    );
    refused(
      () => clioProvider(config({ ...creds, clioBaseUrl: "https://clio.com" })),
      /not a Clio Manage host/,
    );
    refused(
      () => qboProvider(config({ ...creds, qboBaseUrl: "https://x.intuit.com" })),
      /not a QuickBooks Online API host/,
    );
  });
});
