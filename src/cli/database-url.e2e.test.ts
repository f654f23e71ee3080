import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { createEngine } from "../app/engine-factory.ts";
import { DEFAULT_FIRM_ID } from "../app/open-store.ts";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { runCli } from "../testing/cli-process.ts";
import { startEmulatorPair } from "../testing/emulator-pair.ts";
import { normalizeQboExport } from "../testing/normalize-qbo.ts";
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

    const run = await runCli(
      ["status", "--all", "--data-dir", root, "--database-url", schemaUrl(schema.name)],
      {
        LEXBRIDGE_LOG_LEVEL: "",
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /the default firm's bill/);
    assert.doesNotMatch(run.stdout, /another firm's bill/);
    assert.equal(existsSync(join(root, "lexbridge.db")), false, "the SQLite file is not used");
  } finally {
    await schema.drop();
  }
});

it("a generated firm syncs through PostgreSQL to the same QBO books as through SQLite, dry run first", async () => {
  const firm = generateFirm({ size: "small", seed: 3 });
  const reference = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  const onPostgres = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  const schema = await createTestSchema();
  try {
    const engine = await createEngine(reference.config, silentLogger);
    await runSyncPass(engine.deps);
    await engine.close();
    const books = (pair: typeof reference) =>
      normalizeQboExport(pair.qbo.emulator.exportState({ volatile: false }), pair.qbo.defaultRealmId);

    const sync = async (...args: string[]) => {
      const run = await runCli(["sync", ...args, "--json", ...onPostgres.cliFlags], {
        LEXBRIDGE_DATABASE_URL: schemaUrl(schema.name),
      });
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as { written: { sent: number }; plan: unknown[] };
    };
    const before = JSON.stringify(books(onPostgres));
    const dry = await sync("--dry-run");
    assert.ok(dry.plan.length > 10, "the dry run plans the firm");
    assert.equal(JSON.stringify(books(onPostgres)), before, "the dry run (on a scratch copy) writes nothing");
    assert.ok((await sync("--once")).written.sent > 0);
    assert.equal((await sync("--once")).written.sent, 0, "the second pass finds everything in sync");
    assert.deepEqual(books(onPostgres), books(reference));
  } finally {
    await schema.drop();
    await reference.close();
    await onPostgres.close();
  }
});

/** The test server's URL with lexbridge's tables in `schema`, given as libpq's `options`, as an operator could. */
function schemaUrl(schema: string): string {
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
