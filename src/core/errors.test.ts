import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { errorCatalogue, isErrorCode } from "./error-catalogue/index.ts";
import { renderErrorCatalogue } from "./error-catalogue/render.ts";
import { fail, isLexError, LexError, ok } from "./errors.ts";

describe("LexError", () => {
  it("takes kind and action from the catalogue and keeps the provider's code and request id", () => {
    const error = new LexError("http_timeout", "slow", {
      providerCode: "504",
      requestId: "req-1",
      status: 504,
    });
    assert.equal(error.kind, "transient");
    assert.equal(error.action, "retry");
    assert.deepEqual(error.toJSON(), {
      name: "LexError",
      code: "http_timeout",
      kind: "transient",
      action: "retry",
      message: "slow",
      providerCode: "504",
      requestId: "req-1",
      status: 504,
    });
    assert.ok(isLexError(error, "http_timeout"));
    assert.ok(!isLexError(error, "http_network"));
    assert.ok(!isLexError(new Error("x")));
  });

  it("summarises its cause instead of serialising it whole", () => {
    const cause = Object.assign(new Error("boom"), { headers: { authorization: "Bearer secret" } });
    const json = JSON.stringify(new LexError("http_network", "reset", { cause }));
    assert.doesNotMatch(json, /secret/);
    assert.match(json, /"cause":\{"name":"Error","message":"boom"\}/);
  });

  it("returns expected failures as values", () => {
    const good = ok(3);
    const bad = fail(new LexError("money_invalid", "x"));
    assert.equal(good.ok && good.value, 3);
    assert.equal(!bad.ok && bad.error.code, "money_invalid");
  });
});

describe("error catalogue", () => {
  it("has cause and fix text and a snake_case code for every entry", () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      assert.match(code, /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/, code);
      assert.ok(entry.cause.length > 10 && entry.fix.length > 10 && entry.title.length > 3, code);
      assert.ok(isErrorCode(code));
    }
    assert.ok(!isErrorCode("toString"));
  });

  it("docs/errors.md is the rendered catalogue (run `npm run docs:errors` after changing it)", () => {
    const file = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    assert.equal(file, renderErrorCatalogue());
  });
});
