import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretBox } from "../core/secret-box.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import {
  type ClioConnection,
  forgetConnection,
  loadConnection,
  saveConnection,
  saveRefreshedTokens,
} from "./connections.ts";

const connection = (connectedAt: number, firmName: string, accessToken: string): ClioConnection =>
  ({
    provider: "clio",
    baseUrl: "http://127.0.0.1:9",
    region: "us",
    firmName,
    userName: "Admin",
    tokens: { accessToken, refreshToken: `r-${accessToken}` },
    connectedAt,
  }) as ClioConnection;

describe("saveRefreshedTokens", () => {
  it("keeps refreshed tokens only while the connection they belong to is the stored one", async () => {
    const store = new SqliteStore(":memory:");
    const box = new SecretBox(SecretBox.generateKey());
    const old = connection(1, "Old firm", "a1");
    await saveConnection(store, box, "clio", old, 1);

    assert.equal(await saveRefreshedTokens(store, box, "clio", connection(1, "Old firm", "a2"), 2), true);
    assert.equal((await loadConnection(store, box, "clio"))?.tokens.accessToken, "a2");

    await forgetConnection(store, "clio", 3); // disconnected while a pass ran on it
    assert.equal(await saveRefreshedTokens(store, box, "clio", connection(1, "Old firm", "a3"), 4), false);
    assert.equal(await loadConnection(store, box, "clio"), undefined, "not brought back");

    await saveConnection(store, box, "clio", connection(5, "New firm", "b1"), 5); // connected again
    assert.equal(await saveRefreshedTokens(store, box, "clio", connection(1, "Old firm", "a4"), 6), false);
    assert.equal((await loadConnection(store, box, "clio"))?.firmName, "New firm", "not overwritten");
    await store.close();
  });
});
