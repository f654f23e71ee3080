/**
 * Issue 14, currencies end to end: a bill in US dollars synced into a Canadian company. With
 * multicurrency on and the client's customer in USD, the invoice carries CurrencyRef and QBO's
 * exchange rate; with multicurrency off, or a customer in CAD, the bill waits with an item.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { approvedBill, clioIdOf } from "../testing/cli-firm.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

async function usdBill(multiCurrency: boolean, customerInUsd: boolean) {
  const pair = await startEmulatorPair({ qbo: { company: { profile: "ca", multiCurrency } } });
  const jane = clioIdOf(
    await pair.clioAdmin("POST", "/contacts", {
      type: "Person",
      first_name: "Jane",
      last_name: "Doe",
      email_addresses: [{ address: "jane@example.test", name: "Work", default_email: true }],
    }),
  );
  await approvedBill(pair, jane, "USD-1", {
    currency: "USD",
    tax_rate: 5,
    line_items: [{ kind: "Service", description: "Advice", quantity: 2, price: 125, taxable: true }],
  });
  if (customerInUsd)
    await pair.qbo.emulator.loadSeed({
      customers: [
        {
          DisplayName: "Doe, Jane",
          GivenName: "Jane",
          FamilyName: "Doe",
          PrimaryEmailAddr: { Address: "jane@example.test" },
          CurrencyRef: { value: "USD" },
        },
      ],
      vendors: [],
      invoices: [],
    });
  const config = loadConfig({ flags: { ...pair.config, qboTaxCodes: "0=Exempt" } });
  const engine = await createEngine(config, silentLogger);
  await runSyncPass(engine.deps);
  const invoices: Array<Record<string, unknown>> = [];
  for await (const r of engine.deps.qbo.queryAll(qboQuery("Invoice"))) invoices.push(r);
  return { pair, engine, invoices, issues: await engine.store.listIssues({ state: "open" }) };
}

describe("sync of a bill in another currency", () => {
  const open: Array<{ pair: EmulatorPair; engine: EngineHandle }> = [];
  after(async () => {
    for (const { pair, engine } of open) {
      await engine.close();
      await pair.close();
    }
  });

  it("multicurrency on, customer in USD: CurrencyRef USD and QBO's rate; totals in USD equal Clio's", async () => {
    const run = await usdBill(true, true);
    open.push(run);
    assert.deepEqual(run.issues, []);
    const [invoice] = run.invoices;
    assert.deepEqual(invoice?.CurrencyRef, { value: "USD" });
    assert.equal(invoice?.ExchangeRate, 1.37);
    assert.equal(invoice?.TotalAmt, 262.5);
    assert.equal(invoice?.HomeTotalAmt, 359.63);
  });

  it("multicurrency off: no invoice, an item saying the bill is in USD", async () => {
    const run = await usdBill(false, false);
    open.push(run);
    assert.deepEqual(run.invoices, []);
    assert.deepEqual(
      run.issues.map((i) => [i.code, i.message]),
      [
        [
          "sync_currency_mismatch",
          "Bill USD-1: the bill is in USD, the QuickBooks company keeps its books in CAD and multicurrency is off",
        ],
      ],
    );
  });

  it("multicurrency on, the client's customer in CAD: an item naming the customer's currency", async () => {
    const run = await usdBill(true, false);
    open.push(run);
    assert.deepEqual(run.invoices, []);
    assert.match(run.issues[0]!.message, /the bill is in USD but the client's QuickBooks customer is in CAD/);
  });
});
