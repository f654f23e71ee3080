import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLexError } from "./errors.ts";
import { SecretBox } from "./secret-box.ts";

describe("SecretBox", () => {
  it("round-trips a secret and never stores it in clear", () => {
    const box = new SecretBox(SecretBox.generateKey());
    const sealed = box.seal("refresh-token-abc");
    assert.doesNotMatch(sealed, /refresh-token-abc/);
    assert.notEqual(box.seal("refresh-token-abc"), sealed, "a fresh IV each time");
    assert.equal(box.open(sealed), "refresh-token-abc");
  });

  it("refuses a wrong key or a tampered value with config_invalid", () => {
    const sealed = new SecretBox(SecretBox.generateKey()).seal("x");
    assert.throws(
      () => new SecretBox(SecretBox.generateKey()).open(sealed),
      (e) => isLexError(e, "config_invalid"),
    );
    assert.throws(
      () => new SecretBox("c2hvcnQ=").seal("x"),
      (e) => isLexError(e, "config_invalid"),
    );
  });
});
