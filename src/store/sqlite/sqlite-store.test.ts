import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { it } from "node:test";
import { storeContract } from "../store-contract.ts";
import { sqliteMigrations } from "./migrations.ts";
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

it("sqlite store, upgraded from a file without bill ids, finds the allocations it already mirrored by bill", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "lexbridge-store-")), "t.db");
  const old = new DatabaseSync(path);
  for (const sql of sqliteMigrations.slice(0, 2)) old.exec(sql);
  old.exec("PRAGMA user_version = 2");
  old
    .prepare(
      "INSERT INTO mirror (kind, id, sort_key, parent_id, etag, data, dirty) VALUES ('allocation', '5', 5, 'Payment:1', 'e', ?, 0)",
    )
    .run(JSON.stringify({ id: 5, bill: { id: 31 } }));
  old.close();
  const store = new SqliteStore(path);
  assert.deepEqual(
    (await store.listMirrorByBill("allocation", "31")).map((m) => m.id),
    ["5"],
  );
  await store.close();
});
