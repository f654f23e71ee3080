import assert from "node:assert/strict";
import { after, it } from "node:test";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import { JobLog } from "./job-log.ts";

const DAY = 86_400_000;
let schema: TestSchema | undefined;
after(async () => {
  await schema?.drop();
});

it("prunes finished jobs past the days kept and beyond the newest kept per firm, never a running one", async () => {
  schema = await createTestSchema();
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
  try {
    const log = new JobLog(database.pool);
    const now = 100 * DAY;
    const add = async (firmId: string, jobId: string, startedDaysAgo: number, finished: boolean) => {
      const at = now - startedDaysAgo * DAY;
      const id = await log.started({
        firmId,
        jobId,
        kind: "pass",
        attempt: 1,
        processId: "p",
        workerId: "w",
        at,
      });
      if (finished) await log.finished(firmId, id, "ok", at + 1000);
    };
    // Firm a: an old finished job, one still running since long ago, and four recent ones.
    await add("a", "old", 40, true);
    await add("a", "stuck", 40, false);
    for (const n of [4, 3, 2, 1]) await add("a", `recent-${n}`, n, true);
    // Firm b: two recent jobs, within both limits.
    await add("b", "b-2", 2, true);
    await add("b", "b-1", 1, true);

    const deleted = await log.prune({ keepDays: 30, keepPerFirm: 3 }, now);
    const left = await database.pool.query<{ firm_id: string; job_id: string }>(
      "SELECT firm_id, job_id FROM job_log ORDER BY firm_id, job_id",
    );
    assert.equal(deleted, 2);
    assert.deepEqual(
      left.rows.map((r) => `${r.firm_id}:${r.job_id}`),
      ["a:recent-1", "a:recent-2", "a:recent-3", "a:stuck", "b:b-1", "b:b-2"],
    );
    assert.equal(await log.prune({ keepDays: 30, keepPerFirm: 3 }, now), 0, "nothing more to prune");
  } finally {
    await database.close();
  }
});
