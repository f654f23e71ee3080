/**
 * Issue 14, trust cut-over end to end: a QBO company whose books are closed through 2025-12-31
 * already holds the firm's trust history; Clio holds the same history plus a deposit of 2026.
 * With `trustStartDate` only the new deposit is posted; without it the history in the closed
 * period is one Sync Status item, not one 6210 failure per movement.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import { runPreflight } from "../engine/preflight.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { qboTrust } from "../testing/trust-harness.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

async function firmWithHistory(trustStartDate?: string) {
  const pair = await startEmulatorPair();
  const ids = await buildHandFirm(pair);
  const made = await pair.clioAdmin("POST", "/matters", { client_id: ids.jane, description: "Trust" });
  const matter = Number((made.data as { id: number }).id);
  for (const [date, amount] of [
    ["2025-11-10", "1000"],
    ["2025-12-20", "250"],
    ["2026-03-02", "400"],
  ])
    await pair.clioAdmin("POST", "/trust/deposits", { matter_id: matter, amount, date });
  await pair.qboAdmin("POST", `/realms/${pair.qbo.defaultRealmId}/close-books`, { date: "2025-12-31" });
  const config = loadConfig({ flags: { ...pair.config, ...(trustStartDate ? { trustStartDate } : {}) } });
  const engine = await createEngine(config, silentLogger);
  const pass = await runSyncPass(engine.deps);
  return { pair, engine, pass };
}

describe("trust cut-over", () => {
  const open: Array<{ pair: EmulatorPair; engine: EngineHandle }> = [];
  after(async () => {
    for (const { pair, engine } of open) {
      await engine.close();
      await pair.close();
    }
  });

  it("with trustStartDate, history before it is not posted; movements after it are", async () => {
    const run = await firmWithHistory("2026-01-01");
    open.push(run);
    assert.equal(run.pass.written.failed, 0);
    assert.deepEqual(await run.engine.store.listIssues({ state: "open" }), []);
    const qbo = await qboTrust(run.engine);
    assert.deepEqual(
      qbo.entries.map((e) => [e.TxnDate, e.TotalAmt]),
      [["2026-03-02", 400]],
    );
    assert.equal(qbo.liabilityBalance, 40_000);
  });

  it("without it, the movements in the closed books are one item and nothing fails with 6210", async () => {
    const run = await firmWithHistory();
    open.push(run);
    const doctor = (await runPreflight(run.engine.deps)).find((c) => c.id === "closed-books-trust");
    assert.equal(doctor?.status, "warn");
    assert.match(doctor?.summary ?? "", /^2 Clio trust movements are dated on or before 2025-12-31/);
    assert.equal(run.pass.written.failed, 0);
    const issues = await run.engine.store.listIssues({ state: "open" });
    assert.deepEqual(
      issues.map((i) => i.code),
      ["sync_trust_before_closed_books"],
    );
    assert.match(issues[0]!.message, /^2 Clio trust movements are dated on or before 2025-12-31/);
    const qbo = await qboTrust(run.engine);
    assert.deepEqual(
      qbo.entries.map((e) => e.TxnDate),
      ["2026-03-02"],
    );
    // Setting the cut-over afterwards clears the item on the next pass.
    const later = await createEngine(
      loadConfig({ flags: { ...run.pair.config, trustStartDate: "2026-01-01" } }),
      silentLogger,
    );
    await runSyncPass(later.deps);
    assert.deepEqual(await later.store.listIssues({ state: "open" }), []);
    await later.close();
  });
});
