import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLogger, silentLogger } from "../../core/logger.ts";
import { approvedClioBill } from "../../testing/clio-bill.ts";
import { type EmulatorPair, startEmulatorPair } from "../../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "../engine-factory.ts";
import type { FirmJobPayload } from "./firm-jobs.ts";
import { runFirmSync } from "./firm-sync.ts";

type Row = Record<string, unknown>;

/**
 * What a scale-mode worker runs for a webhook's job (graphile-worker and PostgreSQL aside, which
 * firm-workers.e2e covers): the targeted sync of the named records, and the pass when they cannot
 * be targeted yet.
 */
describe("a firm's webhook job: the targeted sync, or the pass", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let client: string;
  const idOf = (r: Row) => String((r.data as { id: number }).id);
  const invoices = (number: string) =>
    Object.values(pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!.records.Invoice ?? {}).filter(
      (r) => (r.data as Row).DocNumber === number,
    );
  const newBill = (number: string) => approvedClioBill(pair, { client, number, price: 120 });
  const job = (bill: string): FirmJobPayload => ({
    firmId: "f1",
    kind: "targeted",
    targets: { contacts: [], bills: [bill], qbo: [] },
  });

  before(async () => {
    pair = await startEmulatorPair();
    client = idOf(
      await pair.clioAdmin("POST", "/contacts", { type: "Person", first_name: "Wen", last_name: "Hook" }),
    );
    engine = await createEngine(pair.config, silentLogger);
  });
  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("before the initial sync a targeted job runs the pass, which writes every bill", async () => {
    const named = await newBill("W-1");
    await newBill("W-2");
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const summary = await runFirmSync(engine.deps, job(named), logger);
    assert.equal(summary.targeted, undefined, "the ordinary pass ran");
    assert.equal(invoices("W-1").length, 1);
    assert.equal(invoices("W-2").length, 1, "the bill no delivery named, written by the pass");
    assert.ok(lines.some((l) => String(l.msg).startsWith("webhook: targeted sync not possible")));
  });

  it("after it, a targeted job writes the named bill and leaves the others to the pass", async () => {
    const named = await newBill("W-3");
    await newBill("W-4");
    const summary = await runFirmSync(engine.deps, job(named), silentLogger);
    assert.deepEqual(summary.targeted, { records: 1 });
    assert.equal(invoices("W-3").length, 1);
    assert.equal(invoices("W-4").length, 0, "not named: waits for the pass");
    await runFirmSync(engine.deps, { firmId: "f1", kind: "pass" }, silentLogger);
    assert.equal(invoices("W-4").length, 1);
    assert.equal(invoices("W-3").length, 1, "written once");
  });
});
