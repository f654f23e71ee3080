import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { DEFAULT_FIRM_ID } from "../app/open-store.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { runCli } from "../testing/cli-process.ts";
import { createTestSchema, testDatabaseUrl } from "../testing/postgres-schema.ts";

const root = mkdtempSync(join(tmpdir(), "lexbridge-database-url-"));
after(() => rmSync(root, { recursive: true, force: true }));

it("--database-url reads the default firm's data from PostgreSQL, and no SQLite file is made", async () => {
  const schema = await createTestSchema();
  try {
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    const issue = (message: string) => ({
      key: "bill:7",
      code: "sync_mapping_failed",
      message,
      entity: "bill" as const,
    });
    await database.storeFor(DEFAULT_FIRM_ID).commit({ issues: [issue("the default firm's bill")] }, 1);
    await database.storeFor("another-firm").commit({ issues: [issue("another firm's bill")] }, 1);
    await database.close();

    // The schema rides in the URL as libpq's `options`, as an operator could put it.
    const url = new URL(testDatabaseUrl);
    url.searchParams.set("options", `-c search_path=${schema.name}`);
    const run = await runCli(["status", "--all", "--data-dir", root, "--database-url", url.toString()], {
      LEXBRIDGE_LOG_LEVEL: "",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /the default firm's bill/);
    assert.doesNotMatch(run.stdout, /another firm's bill/);
    assert.equal(existsSync(join(root, "lexbridge.db")), false, "the SQLite file is not used");
  } finally {
    await schema.drop();
  }
});
