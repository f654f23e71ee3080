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

/** `customer`: Jane's existing QBO customer and its currency, or none (lexbridge creates it). */
async function usdBill(multiCurrency: boolean, customer: "USD" | "CAD" | "none") {
  const pair = await startEmulatorPair({ qbo: { company: { profile: "ca", multiCurrency } } });
  const jane = clioIdOf(
    await pair.clioAdmin("POST", "/contacts", {
      type: "Person",
      first_name: "Jane",
      last_name: "Doe",
      email_addresses: [{ address: "jane@example.test", name: "Work", default_email: true }],
    }),
  );
  const bill = await approvedBill(pair, jane, "USD-1", {
    currency: "USD",
    tax_rate: 5,
    line_items: [{ kind: "Service", description: "Advice", quantity: 2, price: 125, taxable: true }],
  });
  await pair.clioAdmin("POST", "/payments", { bill_id: bill, amount: 100, date: "2026-04-10" });
  await pair.clioAdmin("POST", "/credit_memos", { bill_id: bill, amount: 20, date: "2026-04-12" });
  if (customer !== "none")
    await pair.qbo.emulator.loadSeed({
      customers: [
        {
          DisplayName: "Doe, Jane",
          GivenName: "Jane",
          FamilyName: "Doe",
          PrimaryEmailAddr: { Address: "jane@example.test" },
          CurrencyRef: { value: customer },
        },
      ],
      vendors: [],
      invoices: [],
    });
  const config = loadConfig({ flags: { ...pair.config, qboTaxCodes: "0=Exempt" } });
  const engine = await createEngine(config, silentLogger);
  await runSyncPass(engine.deps);
  const all = async (entity: "Invoice" | "Payment" | "CreditMemo" | "Customer") => {
    const out: Array<Record<string, unknown>> = [];
    for await (const r of engine.deps.qbo.queryAll(qboQuery(entity))) out.push(r);
    return out;
  };
  return {
    pair,
    engine,
    invoices: await all("Invoice"),
    payments: await all("Payment"),
    creditMemos: await all("CreditMemo"),
    customers: await all("Customer"),
    issues: await engine.store.listIssues({ state: "open" }),
  };
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
    const run = await usdBill(true, "USD");
    open.push(run);
    assert.deepEqual(run.issues, []);
    const [invoice] = run.invoices;
    assert.deepEqual(invoice?.CurrencyRef, { value: "USD" });
    assert.equal(invoice?.ExchangeRate, 1.37);
    assert.equal(invoice?.TotalAmt, 262.5);
    assert.equal(invoice?.HomeTotalAmt, 359.63);
  });

  it("multicurrency on, a new client: its customer is created in USD; its payment and credit memo follow the invoice", async () => {
    const run = await usdBill(true, "none");
    open.push(run);
    assert.deepEqual(run.issues, []);
    assert.equal(run.customers.length, 1);
    assert.match(String(run.customers[0]!.DisplayName), /^Jane Doe/);
    assert.deepEqual(run.customers[0]!.CurrencyRef, { value: "USD" });
    const [invoice] = run.invoices;
    assert.deepEqual(
      [invoice?.CurrencyRef, invoice?.ExchangeRate, invoice?.TotalAmt],
      [{ value: "USD" }, 1.37, 262.5],
    );
    const [payment] = run.payments.filter((p) => Number(p.TotalAmt) > 0);
    assert.deepEqual(
      [payment?.CurrencyRef, payment?.ExchangeRate, payment?.TotalAmt],
      [{ value: "USD" }, 1.37, 100],
    );
    const [memo] = run.creditMemos;
    assert.deepEqual([memo?.CurrencyRef, memo?.ExchangeRate, memo?.TotalAmt], [{ value: "USD" }, 1.37, 20]);
    // The invoice's balance is what Clio says is left: 262.50 − 100 − 20.
    const read = await run.engine.deps.qbo.read("Invoice", String(invoice!.Id));
    assert.ok(read.ok);
    assert.equal(read.value.Balance, 142.5);
  });

  it("multicurrency off: no invoice, an item saying the bill is in USD", async () => {
    const run = await usdBill(false, "none");
    open.push(run);
    assert.deepEqual(run.invoices, []);
    assert.deepEqual(
      run.issues.filter((i) => i.code === "sync_currency_mismatch").map((i) => [i.code, i.message]),
      [
        [
          "sync_currency_mismatch",
          "Bill USD-1: the bill is in USD, the QuickBooks company keeps its books in CAD and multicurrency is off",
        ],
      ],
    );
  });

  it("multicurrency on, the client's existing customer in CAD: an item naming the customer's currency", async () => {
    const run = await usdBill(true, "CAD");
    open.push(run);
    assert.deepEqual(run.invoices, []);
    assert.match(run.issues[0]!.message, /the bill is in USD but the client's QuickBooks customer is in CAD/);
  });
});
