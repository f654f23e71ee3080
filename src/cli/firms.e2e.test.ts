import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tryFirmLock } from "../store/postgres/firm-lock.ts";
import { FirmRegistry } from "../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { runCli } from "../testing/cli-process.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../testing/postgres-schema.ts";
import {
  connectFirmQbo,
  type ScaleFirms,
  schemaUrl,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../testing/scale-firms.ts";

describe("lexbridge firms: each firm sees only its own data", () => {
  let scale: ScaleFirms;
  let schema: TestSchema;
  let env: Record<string, string>;
  /** Runs lexbridge; `reconcile` exits 3 when it finds differences, which these generated firms have. */
  const cli = async (...args: string[]) => {
    const run = await runCli([...args, "--data-dir", scale.config.dataDir, "--log-level", "silent"], env);
    assert.ok(
      run.code === 0 || (args[0] === "reconcile" && run.code === 3),
      `${args.join(" ")}: ${run.stderr}`,
    );
    return run.stdout;
  };

  before(async () => {
    scale = await startScaleFirms(2, 11);
    schema = await createTestSchema();
    env = {
      LEXBRIDGE_DATABASE_URL: schemaUrl(testDatabaseUrl, schema.name),
      LEXBRIDGE_SECRET_KEY: TEST_INSTALLATION_KEY,
    };
    for (const firm of scale.firms) {
      const flags = Object.entries(firm.settings).flatMap(([k, v]) => [
        `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        v,
      ]);
      await cli("firms", "add", firm.id, "--name", `Name of ${firm.id}`, ...flags);
    }
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    for (const firm of scale.firms) await connectFirmQbo(scale, firm, database.storeFor(firm.id));
    await database.close();
    for (const firm of scale.firms) await cli("sync", "--once", "--firm", firm.id);
  });

  after(async () => {
    await schema?.drop();
    await scale?.close();
  });

  it("lists and shows the firms with their own settings", async () => {
    const listed = JSON.parse(await cli("firms", "list", "--json")) as Array<{ id: string }>;
    assert.deepEqual(
      listed.map((f) => f.id),
      ["firm-1", "firm-2"],
    );
    const shown = JSON.parse(await cli("firms", "show", "firm-2", "--json")) as {
      settings: Record<string, string>;
    };
    assert.equal(shown.settings.qboRealmId, scale.firms[1]!.realmId);
  });

  it("each firm's sync wrote to its own QBO company only", () => {
    const [one, two] = scale.firms.map((f) => JSON.stringify(scale.books(f)));
    assert.notEqual(one, two);
    for (const firm of scale.firms) {
      const customers = (scale.books(firm) as { Customer?: string[] }).Customer ?? [];
      assert.ok(customers.length > 3, `${firm.id} has customers in its company`);
    }
  });

  it("status, audit, match and reconcile show one firm's data and never the other's", async () => {
    const seen: Record<string, Record<string, string>> = {};
    for (const firm of scale.firms) {
      seen[firm.id] = {
        status: await cli("status", "--all", "--json", "--firm", firm.id),
        audit: await cli("audit", "--json", "--firm", firm.id),
        match: await cli("match", "list", "--all", "--json", "--firm", firm.id),
        reconcile: await cli("reconcile", "--json", "--firm", firm.id),
      };
    }
    // The audit names each firm's own QBO company ids; one firm's request ids never show in the other's output.
    for (const [firm, other] of [
      ["firm-1", "firm-2"],
      ["firm-2", "firm-1"],
    ] as const) {
      const audit = JSON.parse(seen[firm]!.audit!) as Array<{ requestId: string; clioId: string }>;
      assert.ok(audit.length > 5, `${firm} has an audit`);
      const otherOutput = Object.values(seen[other]!).join("\n");
      for (const entry of audit)
        assert.ok(
          !otherOutput.includes(entry.requestId),
          `${other}'s output shows ${firm}'s request ${entry.requestId}`,
        );
    }
    // The firms' Clio data differ (other seeds), so their outputs differ command by command.
    for (const command of ["status", "audit", "reconcile"])
      assert.notEqual(
        seen["firm-1"]![command],
        seen["firm-2"]![command],
        `${command} differs between the firms`,
      );
  });

  it("while a firm's lock is held, its pass and its connect stop with firm_busy; reading it and other firms' passes go on", async () => {
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    const lock = await tryFirmLock(database.pool, "firm-1");
    try {
      assert.ok(lock, "the test holds firm-1's lock");
      assert.equal(await tryFirmLock(database.pool, "firm-1"), undefined, "a second session cannot take it");
      for (const args of [
        ["sync", "--once"],
        ["connect", "qbo"],
      ]) {
        const busy = await runCli([...args, "--firm", "firm-1", "--data-dir", scale.config.dataDir], env);
        assert.equal(busy.code, 2, busy.stderr);
        assert.match(busy.stderr, /\[firm_busy\]/);
      }
      await cli("status", "--firm", "firm-1");
      await cli("sync", "--once", "--firm", "firm-2");
    } finally {
      await lock?.release();
      await database.close();
    }
    await cli("sync", "--once", "--firm", "firm-1");
  });

  it("removing a firm deletes its data and leaves the other's", async () => {
    await cli("firms", "remove", "firm-2", "--yes");
    const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
    try {
      assert.deepEqual(
        (await new FirmRegistry(database.pool).list()).map((f) => f.id),
        ["firm-1"],
      );
      const rows = await database.pool.query<{ firm_id: string }>(
        "SELECT DISTINCT firm_id FROM audit ORDER BY 1",
      );
      assert.deepEqual(
        rows.rows.map((r) => r.firm_id),
        ["firm-1"],
      );
    } finally {
      await database.close();
    }
    const refused = await runCli(["status", "--firm", "firm-2", "--data-dir", scale.config.dataDir], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /\[firm_unknown\]/);
  });
});
