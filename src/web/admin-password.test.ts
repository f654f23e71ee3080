import assert from "node:assert/strict";
import { it } from "node:test";
import { isLexError } from "../core/errors.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { ADMIN_USER, ensureAdminPassword, setAdminPassword } from "./admin-password.ts";
import { verifyPassword } from "./password-hash.ts";

it("the first start takes the password from the environment; later starts keep the stored one", async () => {
  const store = new SqliteStore(":memory:");
  await assert.rejects(ensureAdminPassword(store, undefined, 1), (e) =>
    isLexError(e, "web_admin_password_missing"),
  );
  assert.equal(await ensureAdminPassword(store, "first password 1", 1), "from_env");
  assert.equal(await ensureAdminPassword(store, "another password 2", 2), "existing");
  const stored = (await store.getWebPassword(ADMIN_USER))!;
  assert.equal(await verifyPassword("first password 1", stored), true, "the environment no longer resets it");
  await store.close();
});

it("refuses a password shorter than 12 characters", async () => {
  const store = new SqliteStore(":memory:");
  await assert.rejects(setAdminPassword(store, "short", 1), (e) => isLexError(e, "web_password_weak"));
  await assert.rejects(ensureAdminPassword(store, "elevenchars", 1), (e) =>
    isLexError(e, "web_password_weak"),
  );
  assert.equal(await store.getWebPassword(ADMIN_USER), undefined);
  await store.close();
});
