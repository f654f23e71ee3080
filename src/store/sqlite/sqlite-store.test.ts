import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { it } from "node:test";
import { emptyContactFields } from "../../mapping/contact-fields.ts";
import type { Link } from "../port.ts";
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

it("sqlite store, upgraded from links with state words in their hash and a grab-bag base, keeps every link in explicit fields", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "lexbridge-store-")), "t.db");
  const old = new DatabaseSync(path);
  for (const sql of sqliteMigrations.slice(0, 3)) old.exec(sql);
  old.exec("PRAGMA user_version = 3");
  const fields = { ...emptyContactFields(), givenName: "Jane", email: "jane@example.test" };
  const memoBase = { applications: [{ invoiceId: "900", amount: 20 }], date: "2026-05-04" };
  const insertLink = old.prepare(
    "INSERT INTO links (entity, clio_id, qbo_id, sync_token, content_hash, base, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const rows: Array<[string, string, string, string, string, string | null, string, number]> = [
    ["customer", "1001", "58", "3", "h-customer", JSON.stringify(fields), "linked", 10],
    ["customer", "1002", "59", "0", "h-other", "null", "inactive", 11],
    ["invoice", "3101", "900", "4", "void", "null", "linked", 12],
    ["invoice", "3102", "901", "2", "edited-in-qbo", JSON.stringify({ fingerprint: "fp" }), "linked", 13],
    ["invoice", "3103", "902", "1", "void", null, "broken", 14],
    ["payment", "7001", "950", "6", "stale", "null", "linked", 15],
    ["credit_memo", "8001", "960", "0", "h-memo", JSON.stringify(memoBase), "linked", 16],
    ["journal_entry", "tx:10", "700", "0", "h-je", "null", "linked", 17],
  ];
  for (const row of rows) insertLink.run(...row);
  const insertOp = old.prepare(
    "INSERT INTO outbox (request_id, batch_id, entity, clio_id, action, payload, seq, state, created_at, updated_at) VALUES (?, 'B', ?, ?, ?, ?, 1, 'pending', 1, 1)",
  );
  const ops: Array<[string, string, string, string, Record<string, unknown>]> = [
    ["r-void", "payment", "7002", "void", { operation: "void", contentHash: "void", body: { Id: "951" } }],
    ["r-del", "journal_entry", "tx:11", "delete", { contentHash: "deleted", linkAfter: "delete" }],
    ["r-cust", "customer", "1003", "create", { contentHash: "hc", base: fields }],
    ["r-inv", "invoice", "3104", "create", { contentHash: "hi", base: { fingerprint: "fp2" } }],
    ["r-memo", "credit_memo", "8002", "create", { contentHash: "hm", base: memoBase }],
    ["r-pay", "payment", "7003", "create", { contentHash: "hp" }],
  ];
  for (const [id, entity, clioId, action, payload] of ops)
    insertOp.run(id, entity, clioId, action, JSON.stringify(payload));
  old.close();

  const store = new SqliteStore(path);
  const link = (entity: Link["entity"], clioId: string) => store.getLink(entity, clioId);
  const fieldsOf = async (entity: Link["entity"], clioId: string) => {
    const l = await link(entity, clioId);
    return (
      l && { state: l.state, contentHash: l.contentHash, qboEditedAt: l.qboEditedAt, baseline: l.baseline }
    );
  };
  assert.deepEqual(await fieldsOf("customer", "1001"), {
    state: "linked",
    contentHash: "h-customer",
    qboEditedAt: null,
    baseline: { kind: "contact", fields },
  });
  assert.deepEqual(await fieldsOf("customer", "1002"), {
    state: "inactive",
    contentHash: "h-other",
    qboEditedAt: null,
    baseline: null,
  });
  assert.deepEqual(await fieldsOf("invoice", "3101"), {
    state: "voided",
    contentHash: null,
    qboEditedAt: null,
    baseline: null,
  });
  assert.deepEqual(await fieldsOf("invoice", "3102"), {
    state: "linked",
    contentHash: null,
    qboEditedAt: 13,
    baseline: { kind: "invoice", fingerprint: "fp" },
  });
  assert.deepEqual(await fieldsOf("invoice", "3103"), {
    state: "broken",
    contentHash: null,
    qboEditedAt: null,
    baseline: null,
  });
  assert.deepEqual(await fieldsOf("payment", "7001"), {
    state: "linked",
    contentHash: null,
    qboEditedAt: 15,
    baseline: null,
  });
  assert.deepEqual(await fieldsOf("credit_memo", "8001"), {
    state: "linked",
    contentHash: "h-memo",
    qboEditedAt: null,
    baseline: { kind: "credit_memo", ...memoBase },
  });
  assert.deepEqual(await link("journal_entry", "tx:10"), {
    entity: "journal_entry",
    clioId: "tx:10",
    qboId: "700",
    syncToken: "0",
    state: "linked",
    contentHash: "h-je",
    qboEditedAt: null,
    baseline: null,
    updatedAt: 17,
  });
  assert.equal((await store.getLinkByQboId("invoice", "901"))?.clioId, "3102", "found by QBO id as before");

  const payload = async (id: string) => (await store.getOperation(id))?.payload;
  assert.deepEqual(await payload("r-void"), { operation: "void", body: { Id: "951" }, linkAfter: "voided" });
  assert.deepEqual(await payload("r-del"), { linkAfter: "delete" });
  assert.deepEqual(await payload("r-cust"), { contentHash: "hc", baseline: { kind: "contact", fields } });
  assert.deepEqual(await payload("r-inv"), {
    contentHash: "hi",
    baseline: { kind: "invoice", fingerprint: "fp2" },
  });
  assert.deepEqual(await payload("r-memo"), {
    contentHash: "hm",
    baseline: { kind: "credit_memo", ...memoBase },
  });
  assert.deepEqual(await payload("r-pay"), { contentHash: "hp" });
  assert.equal((await store.pendingOperations()).length, 6, "pending operations stay pending");
  await store.close();
});
