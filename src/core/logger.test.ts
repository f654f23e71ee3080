import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LexError } from "./errors.ts";
import { createLogger, memoryDestination } from "./logger.ts";
import { redactHeaders, redactUrl } from "./redact.ts";

describe("logger redaction", () => {
  it("removes tokens, secrets and authorization wherever they sit", () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out });
    log.info(
      {
        headers: { authorization: "Bearer sekret-abc", Authorization: "Bearer sekret-def" },
        access_token: "sekret-ghi",
        refreshToken: "sekret-jkl",
        nested: { client_secret: "sekret-mno", token: "sekret-pqr" },
        status: 200,
      },
      "request",
    );
    const text = out.lines.join("\n");
    assert.doesNotMatch(text, /sekret/);
    assert.match(text, /\[redacted\]/);
    assert.equal(out.records()[0]?.status, 200);
  });

  it("redacts header maps and secret query parameters", () => {
    assert.deepEqual(redactHeaders({ Authorization: "Bearer x", Accept: "application/json" }), {
      Authorization: "[redacted]",
      Accept: "application/json",
    });
    const url = redactUrl("https://u:p@host/oauth/token?code=abc123&state=s1&client_secret=zzz");
    assert.equal(url, "/oauth/token?code=[redacted]&state=s1&client_secret=[redacted]");
  });

  it("serialises LexError through its safe toJSON", () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out });
    const error = new LexError("http_timeout", "timed out", { requestId: "r1", cause: new Error("boom") });
    log.warn({ error }, "failed");
    const record = out.records()[0] as { error: Record<string, unknown> };
    assert.equal(record.error.code, "http_timeout");
    assert.equal(record.error.kind, "transient");
    assert.deepEqual(record.error.cause, { name: "Error", message: "boom" });
  });
});
