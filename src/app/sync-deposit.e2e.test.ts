/** Issue 14, settings: the account Clio payments are deposited to (`qboDepositAccount`). */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import { silentLogger } from "../core/logger.ts";
import { runPreflight } from "../engine/preflight.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

describe("qboDepositAccount", () => {
  const open: Array<{ pair: EmulatorPair; engine: EngineHandle }> = [];
  const start = async (account?: string) => {
    const pair = await startEmulatorPair();
    await buildHandFirm(pair);
    const flags = { ...pair.config, ...(account ? { qboDepositAccount: account } : {}) };
    const engine = await createEngine(loadConfig({ flags }), silentLogger);
    open.push({ pair, engine });
    return engine;
  };
  const depositAccounts = async (engine: EngineHandle) => {
    const out: string[] = [];
    for await (const p of engine.deps.qbo.queryAll(qboQuery("Payment")))
      if (Number(p.TotalAmt) > 0) out.push(String((p.DepositToAccountRef as { name?: string }).name));
    return out;
  };
  after(async () => {
    for (const { pair, engine } of open) {
      await engine.close();
      await pair.close();
    }
  });

  it("unset: payments go to Undeposited Funds; set: to the named account", async () => {
    const byDefault = await start();
    await runSyncPass(byDefault.deps);
    assert.deepEqual(await depositAccounts(byDefault), ["Undeposited Funds"]);
    const checking = await start("Checking");
    await runSyncPass(checking.deps);
    assert.deepEqual(await depositAccounts(checking), ["Checking"]);
  });

  it("an account QBO cannot deposit to stops the pass with a coded error, and doctor says so", async () => {
    const engine = await start("Services");
    await assert.rejects(
      runSyncPass(engine.deps),
      (e: unknown) =>
        e instanceof LexError && e.code === "sync_setup_failed" && /Income account/.test(e.message),
    );
    const doctor = (await runPreflight(engine.deps)).find((c) => c.id === "deposit-account");
    assert.equal(doctor?.status, "fail");
  });
});
