import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { isLexError } from "../core/errors.ts";
import { clioWebhookUrl, webhookUrl } from "./webhook-url.ts";

describe("publicUrl and the webhook addresses", () => {
  it("adds /webhooks/<provider> under publicUrl, keeping a path prefix", () => {
    const config = loadConfig({ flags: { publicUrl: "https://sync.example.com/lexbridge" } });
    assert.equal(clioWebhookUrl(config), "https://sync.example.com/lexbridge/webhooks/clio");
    assert.equal(webhookUrl(config, "qbo")?.href, "https://sync.example.com/lexbridge/webhooks/qbo");
    assert.equal(clioWebhookUrl(loadConfig({})), undefined, "no publicUrl, no subscriptions");
  });

  it("refuses what is not an http(s) URL", () => {
    for (const publicUrl of ["ftp://sync.example.com", "sync.example.com", "javascript:alert(1)"]) {
      assert.throws(
        () => loadConfig({ env: { LEXBRIDGE_PUBLIC_URL: publicUrl } }),
        (e) => isLexError(e) && e.code === "config_invalid" && /publicUrl \(--public-url/.test(e.message),
        publicUrl,
      );
    }
  });

  it("wants https for Clio's real hosts, and lets an emulator use http", () => {
    const real = loadConfig({ flags: { publicUrl: "http://sync.example.com", clioRegion: "eu" } });
    assert.throws(
      () => clioWebhookUrl(real),
      (e) => isLexError(e) && e.code === "config_invalid" && /must use https/.test(e.message),
    );
    const emulator = loadConfig({
      flags: { publicUrl: "http://127.0.0.1:4000", clioBaseUrl: "http://127.0.0.1:9" },
    });
    assert.equal(clioWebhookUrl(emulator), "http://127.0.0.1:4000/webhooks/clio");
  });

  it("takes a metricsToken of 16 characters or more only", () => {
    assert.throws(
      () => loadConfig({ flags: { metricsToken: "short" } }),
      (e) => isLexError(e),
    );
    assert.equal(loadConfig({ flags: { metricsToken: "x".repeat(16) } }).metricsToken, "x".repeat(16));
  });
});
