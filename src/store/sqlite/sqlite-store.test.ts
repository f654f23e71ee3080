import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { storeContract } from "../store-contract.ts";
import { SqliteStore } from "./sqlite-store.ts";

storeContract(
  "sqlite",
  async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), "lexbridge-store-")), "t.db")),
);

it("sqlite store keeps its data across reopening the file", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "lexbridge-store-")), "t.db");
  const first = new SqliteStore(path);
  await first.commit({ cursors: { s: "1" } }, 1);
  await first.close();
  const second = new SqliteStore(path);
  assert.equal(await second.getCursor("s"), "1");
  await second.close();
});
