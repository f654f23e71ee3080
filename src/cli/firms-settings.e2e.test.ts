import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { JobLog } from "../app/worker/job-log.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { runCli } from "../testing/cli-process.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../testing/postgres-schema.ts";
import { schemaUrl } from "../testing/scale-firms.ts";

describe("lexbridge firms set and firms prune", () => {
  let schema: TestSchema;
  let env: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), "lexbridge-firms-set-"));
  const cli = (...args: string[]) => runCli([...args, "--data-dir", dataDir, "--log-level", "silent"], env);

  before(async () => {
    schema = await createTestSchema();
    env = { LEXBRIDGE_DATABASE_URL: schemaUrl(testDatabaseUrl, schema.name) };
    const added = await cli(
      "firms",
      "add",
      "smith-law",
      "--start-date",
      "2026-01-01",
      "--qbo-realm-id",
      "42",
    );
    assert.equal(added.code, 0, added.stderr);
  });

  after(async () => {
    await schema?.drop();
  });

  it("changes a firm's settings, checked like the configuration, and drops one with key=", async () => {
    const set = await cli(
      "firms",
      "set",
      "smith-law",
      "syncIntervalSeconds=600",
      "conflictPolicy=clio-wins",
      "qboRealmId=",
    );
    assert.equal(set.code, 0, set.stderr);
    const shown = await cli("firms", "show", "smith-law", "--json");
    assert.deepEqual(JSON.parse(shown.stdout).settings, {
      startDate: "2026-01-01",
      syncIntervalSeconds: 600,
      conflictPolicy: "clio-wins",
    });
  });

  it("refuses an unknown key, a bad value and an unknown firm with coded errors, changing nothing", async () => {
    for (const [args, code] of [
      [["smith-law", "databaseUrl=postgres://elsewhere"], "firm_setting_unknown"],
      [["smith-law", "syncIntervalSeconds=5"], "firm_setting_invalid"],
      [["jones-law", "startDate=2026-02-01"], "firm_unknown"],
    ] as const) {
      const refused = await cli("firms", "set", ...args);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, new RegExp(`\\[${code}\\]`));
    }
    const shown = JSON.parse((await cli("firms", "show", "smith-law", "--json")).stdout);
    assert.equal(shown.settings.syncIntervalSeconds, 600);
  });

  it("prunes the job log to the configured number of finished jobs per firm", async () => {
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    try {
      const log = new JobLog(database.pool);
      const now = Date.now();
      for (let i = 0; i < 5; i++) {
        const id = await log.started({
          firmId: "smith-law",
          jobId: `j${i}`,
          kind: "pass",
          attempt: 1,
          processId: "p",
          workerId: "w",
          at: now - (5 - i) * 60_000,
        });
        await log.finished("smith-law", id, "ok", now - (5 - i) * 60_000 + 1000);
      }
    } finally {
      await database.close();
    }
    const pruned = await cli("firms", "prune", "--job-log-keep-per-firm", "2", "--json");
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.deepEqual(JSON.parse(pruned.stdout), { deleted: 3, keepDays: 7, keepPerFirm: 2 });
  });
});
