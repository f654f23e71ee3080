import assert from "node:assert/strict";
import { it } from "node:test";
import { hashPassword, verifyPassword } from "./password-hash.ts";

it("a hashed password verifies; another password does not; the same password hashes differently each time", async () => {
  const first = await hashPassword("correct horse battery");
  const second = await hashPassword("correct horse battery");
  assert.match(first, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.notEqual(first, second, "salted");
  assert.equal(await verifyPassword("correct horse battery", first), true);
  assert.equal(await verifyPassword("correct horse batterY", first), false);
  assert.equal(await verifyPassword("", first), false);
});

it("a stored value that is not an scrypt hash verifies nothing", async () => {
  assert.equal(await verifyPassword("x", "plain-text-password"), false);
  assert.equal(await verifyPassword("x", ""), false);
});
