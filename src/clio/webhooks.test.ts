import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clioHandshakeResponse,
  clioHandshakeSecret,
  parseClioWebhook,
  signClioWebhook,
  verifyClioWebhookSignature,
} from "./webhooks.ts";

describe("Clio webhook helpers", () => {
  const body = '{"data":{"id":9001,"etag":"\\"aa\\""},"meta":{"event":"updated","webhook_id":4242}}';
  const secret = "s3cret";

  it("verifies the lowercase hex HMAC-SHA256 of the raw body, and rejects forgeries", () => {
    const sig = signClioWebhook(body, secret);
    assert.match(sig, /^[0-9a-f]{64}$/);
    assert.equal(verifyClioWebhookSignature(body, sig, secret), true);
    assert.equal(verifyClioWebhookSignature(body, sig.toUpperCase(), secret), true);
    assert.equal(verifyClioWebhookSignature(`${body} `, sig, secret), false);
    assert.equal(verifyClioWebhookSignature(body, sig, "other"), false);
    assert.equal(verifyClioWebhookSignature(body, sig.slice(2), secret), false);
    assert.equal(verifyClioWebhookSignature(body, undefined, secret), false);
    assert.equal(verifyClioWebhookSignature(body, `sha256=${sig}`, secret), false);
  });

  it("parses a verified delivery and refuses a bad one", () => {
    const ok = parseClioWebhook(body, signClioWebhook(body, secret), secret);
    assert.ok(ok.ok);
    assert.deepEqual(ok.value.meta, { event: "updated", webhook_id: 4242 });
    const forged = parseClioWebhook(body, "0".repeat(64), secret);
    assert.ok(!forged.ok && forged.error.code === "clio_webhook_signature_invalid");
    const junk = parseClioWebhook("{}", signClioWebhook("{}", secret), secret);
    assert.ok(!junk.ok && junk.error.code === "clio_unexpected_response");
  });

  it("answers the handshake by echoing X-Hook-Secret with 200", () => {
    assert.equal(clioHandshakeSecret(new Headers({ "X-Hook-Secret": "abc" })), "abc");
    assert.equal(clioHandshakeSecret({ "x-hook-secret": "abc" }), "abc");
    assert.equal(clioHandshakeSecret({}), undefined);
    const res = clioHandshakeResponse("abc");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("X-Hook-Secret"), "abc");
  });
});
