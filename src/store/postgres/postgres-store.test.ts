import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import type { Store } from "../port.ts";
import { storeContract } from "../store-contract.ts";
import { migratePostgres, postgresMigrations } from "./migrate.ts";
import { openPostgresStore, PostgresDatabase } from "./postgres-database.ts";

/** Every schema this file made, dropped at the end even when a test failed before its own drop. */
const schemas: TestSchema[] = [];
after(async () => {
  await Promise.all(schemas.map((s) => s.drop()));
});

async function freshSchema(): Promise<string> {
  const schema = await createTestSchema();
  schemas.push(schema);
  return schema.name;
}

/** A firm's store in a schema of its own; closing it also drops the schema. */
storeContract("postgres", async () => {
  const schema = await freshSchema();
  const store = await openPostgresStore({ url: testDatabaseUrl, schema, firmId: "firm-a" });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await schemas.find((s) => s.name === schema)?.drop();
  };
  return store;
});

describe("postgres store", () => {
  it("records each migration once, and finds nothing to do when opened again", async () => {
    const schema = await freshSchema();
    const first = await PostgresDatabase.open({ url: testDatabaseUrl, schema });
    assert.deepEqual(await migratePostgres(first.pool), [], "the open applied them all");
    const versions = await first.pool.query("SELECT version FROM schema_migrations ORDER BY version");
    assert.deepEqual(
      versions.rows.map((r) => r.version),
      postgresMigrations.map((m) => m.version),
    );
    await first.close();
    const again = await PostgresDatabase.open({ url: testDatabaseUrl, schema });
    await again.close();
  });

  it("migrates once when several processes open a new database at the same moment", async () => {
    const schema = await freshSchema();
    const databases = await Promise.all(
      Array.from({ length: 4 }, () => PostgresDatabase.open({ url: testDatabaseUrl, schema })),
    );
    const rows = await databases[0]!.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
    assert.equal(rows.rows[0].n, postgresMigrations.length);
    await Promise.all(databases.map((d) => d.close()));
  });

  it("never shows one firm's rows to another firm's store on the same tables", async () => {
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: await freshSchema() });
    const a = database.storeFor("firm-a");
    const b = database.storeFor("firm-b");
    const unitFor = (firm: string) => ({
      links: [
        {
          entity: "customer" as const,
          clioId: "1",
          qboId: `qbo-${firm}`,
          syncToken: "0",
          state: "linked" as const,
          contentHash: firm,
          qboEditedAt: null,
          baseline: null,
          updatedAt: 1,
        },
      ],
      outboxAdd: [
        {
          requestId: "r1",
          batchId: null,
          entity: "customer" as const,
          clioId: "1",
          action: "create" as const,
          payload: { firm } as never,
          seq: 1,
          state: "pending" as const,
          createdAt: 1,
        },
      ],
      issues: [{ key: "contact:1", code: "c", message: firm, entity: "contact" as const }],
      audit: [
        {
          at: 1,
          runId: firm,
          requestId: "r1",
          entity: "customer" as const,
          action: "create" as const,
          clioId: "1",
          outcome: "ok" as const,
        },
      ],
      cursors: { "clio:bills": firm },
      kv: { realm: firm },
      mirror: [{ kind: "contact" as const, id: "1", parentId: null, etag: firm, data: { id: 1 } as never }],
    });
    await a.commit(unitFor("firm-a"), 1);
    // firm-b's writes to the same keys are its own rows, not updates of firm-a's
    await b.commit(unitFor("firm-b"), 2);
    await b.commit(
      { resolveIssues: ["contact:1"], outboxDone: ["r1"], mirrorClean: [{ kind: "contact", id: "1" }] },
      3,
    );
    await b.proposeMatch({ clioId: "1", qboId: "9", reason: "b's", state: "proposed", createdAt: 1 });
    await b.setWebPassword("admin", "b-hash", 1);
    await b.createWebSession({ idHash: "s", user: "admin", csrfToken: "b", createdAt: 1, expiresAt: 100 });
    assert.equal(await a.claimWebhookDelivery("qbo:x", 1, 100), true);
    assert.equal(
      await b.claimWebhookDelivery("qbo:x", 1, 100),
      true,
      "a delivery to one firm is not another's",
    );

    const seenBy = async (store: Store) => ({
      link: (await store.getLink("customer", "1"))?.contentHash,
      byQbo: (await store.getLinkByQboId("customer", "qbo-firm-b"))?.clioId,
      links: (await store.listLinks("customer")).length,
      pending: (await store.pendingOperations()).map((o) => o.payload),
      issues: (await store.listIssues()).map((i) => [i.message, i.state]),
      audit: (await store.listAudit()).map((e) => e.runId),
      cursor: await store.getCursor("clio:bills"),
      kv: await store.getKv("realm"),
      dirty: await store.countMirror("contact", { dirtyOnly: true }),
      mirror: (await store.getMirror("contact", "1"))?.etag,
      matches: (await store.listMatches()).length,
      password: await store.getWebPassword("admin"),
      session: (await store.getWebSession("s", 2))?.csrfToken,
    });
    assert.deepEqual(await seenBy(a), {
      link: "firm-a",
      byQbo: undefined,
      links: 1,
      pending: [{ firm: "firm-a" }],
      issues: [["firm-a", "open"]],
      audit: ["firm-a"],
      cursor: "firm-a",
      kv: "firm-a",
      dirty: 1,
      mirror: "firm-a",
      matches: 0,
      password: undefined,
      session: undefined,
    });
    assert.deepEqual(await seenBy(b), {
      link: "firm-b",
      byQbo: "1",
      links: 1,
      pending: [],
      issues: [["firm-b", "resolved"]],
      audit: ["firm-b"],
      cursor: "firm-b",
      kv: "firm-b",
      dirty: 0,
      mirror: "firm-b",
      matches: 1,
      password: "b-hash",
      session: "b",
    });
    const bIssue = (await b.listIssues())[0]!;
    assert.equal(await a.getIssue(bIssue.id), undefined, "not even by id");
    assert.equal(await a.requestRetry({ id: bIssue.id }), 0);

    const scratch = await a.scratchCopy();
    assert.equal((await scratch.getLink("customer", "1"))?.contentHash, "firm-a", "a copy of a's rows only");
    assert.deepEqual(
      (await scratch.listAudit()).map((e) => e.runId),
      ["firm-a"],
    );
    await scratch.close();
    const firms = await database.pool.query("SELECT DISTINCT firm_id FROM links ORDER BY firm_id");
    assert.deepEqual(
      firms.rows.map((r) => r.firm_id),
      ["firm-a", "firm-b"],
      "a closed copy leaves no rows behind",
    );
    await database.close();
  });

  it("keeps the outbox and the webhook claims exactly-once when writers of one firm race", async () => {
    const database = await PostgresDatabase.open({
      url: testDatabaseUrl,
      schema: await freshSchema(),
      maxConnections: 8,
    });
    // Two processes working for the same firm (a killed worker's job retried while it still runs).
    const [one, two] = [database.storeFor("firm-a"), database.storeFor("firm-a")];
    const op = {
      requestId: "r1",
      batchId: "B1",
      entity: "invoice" as const,
      clioId: "7",
      action: "create" as const,
      payload: { n: 1 } as never,
      seq: 1,
      state: "pending" as const,
      createdAt: 1,
    };
    await Promise.all([one.commit({ outboxAdd: [op] }, 1), two.commit({ outboxAdd: [op] }, 1)]);
    assert.equal((await one.pendingOperations()).length, 1, "stored twice at once, one operation");
    await one.commit({ outboxDone: ["r1"] }, 2);
    await two.commit({ outboxAdd: [{ ...op, batchId: "B2" }] }, 3);
    assert.deepEqual(
      await two.pendingOperations(),
      [],
      "an operation done is not pending again when re-added",
    );

    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).claimWebhookDelivery("clio:abc", 10, 100)),
    );
    assert.equal(claims.filter(Boolean).length, 1, "one delivery, claimed by exactly one");

    const issue = { key: "bill:7", code: "x", message: "m", entity: "bill" as const };
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).commit({ issues: [issue] }, 5)),
    );
    assert.equal((await one.listIssues())[0]?.attempts, 6, "no attempt lost to a concurrent upsert");
    await database.close();
  });
});
