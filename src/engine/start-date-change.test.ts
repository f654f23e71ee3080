import assert from "node:assert/strict";
import { it } from "node:test";
import type { MirrorWrite } from "../store/port.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { replanBillsOnStartDateChange } from "./start-date-change.ts";

const bill = (id: string): MirrorWrite => ({
  kind: "bill",
  id,
  parentId: null,
  etag: "e",
  data: { id: Number(id), issued_at: "2025-06-01" } as MirrorWrite["data"],
});

it("marks every mirrored bill for planning again when the start date changed, and only then", async () => {
  const store = new SqliteStore(":memory:");
  await store.commit({ mirror: [bill("1"), bill("2")] }, 1);
  await store.commit(
    {
      mirrorClean: [
        { kind: "bill", id: "1" },
        { kind: "bill", id: "2" },
      ],
    },
    1,
  );
  assert.equal(
    await replanBillsOnStartDateChange(store, "2026-01-01", 2),
    0,
    "the first date: nothing to redo",
  );
  assert.equal(await replanBillsOnStartDateChange(store, "2026-01-01", 3), 0, "unchanged");
  assert.equal(await store.countMirror("bill", { dirtyOnly: true }), 0);
  assert.equal(await replanBillsOnStartDateChange(store, "2025-01-01", 4), 2, "moved earlier");
  assert.equal(await store.countMirror("bill", { dirtyOnly: true }), 2);
  assert.equal(await replanBillsOnStartDateChange(store, "2025-01-01", 5), 0);
  await store.close();
});
