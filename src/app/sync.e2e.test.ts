import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

/**
 * A small firm built through the Clio emulator's admin API, synced over real HTTP into a QBO
 * emulator that already holds a customer for one of the clients.
 */
describe("sync end to end (hand-built firm)", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  const ids: Record<string, number> = {};
  let first: Awaited<ReturnType<typeof runSyncPass>>;

  // The first pass runs here, not in the first test, so that each test can run alone.
  before(async () => {
    pair = await startEmulatorPair();
    Object.assign(ids, await buildHandFirm(pair));
    engine = await createEngine(pair.config, silentLogger);
    first = await runSyncPass(engine.deps);
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  const all = async <N extends "Customer" | "Invoice" | "Payment" | "CreditMemo">(entity: N) => {
    const out: Record<string, unknown>[] = [];
    for await (const r of engine.deps.qbo.queryAll<N>(qboQuery(entity)))
      out.push(r as Record<string, unknown>);
    return out;
  };

  it("links the exact match, creates the other client, skips contacts without an approved bill", async () => {
    assert.equal(first.written.failed, 0, JSON.stringify(await engine.store.listIssues()));
    const customers = await all("Customer");
    assert.deepEqual(customers.map((c) => c.DisplayName).sort(), [
      "Acme Holdings (Clio " + ids.acme + ")",
      "Doe, Jane",
    ]);
    assert.equal(
      (await engine.store.getLink("customer", String(ids.jane)))?.qboId,
      String(customers.find((c) => c.DisplayName === "Doe, Jane")?.Id),
    );
    assert.equal(await engine.store.getLink("customer", String(ids.nobill)), undefined);
  });

  it("writes every approved bill as an invoice with the same number and total", async () => {
    const invoices = await all("Invoice");
    assert.deepEqual(invoices.map((i) => i.DocNumber).sort(), ["INV-1", "INV-2", "INV-4"]);
    for (const number of ["INV-1", "INV-2", "INV-4"]) {
      const bill = (await engine.store.listMirror("bill")).find((b) => b.data.number === number)!;
      const invoice = invoices.find((i) => i.DocNumber === number)!;
      assert.equal(invoice.TotalAmt, bill.data.total, `${number} total`);
    }
  });

  it("applies the payment and the credit memo to the right invoices", async () => {
    const invoices = await all("Invoice");
    const inv1 = invoices.find((i) => i.DocNumber === "INV-1")!;
    const inv2 = invoices.find((i) => i.DocNumber === "INV-2")!;
    const payments = await all("Payment");
    const real = payments.filter((p) => Number(p.TotalAmt) > 0);
    assert.equal(real.length, 1);
    assert.deepEqual(
      (real[0]!.Line as Array<{ LinkedTxn: Array<{ TxnId: string }> }>)[0]!.LinkedTxn[0]!.TxnId,
      inv1.Id,
    );
    assert.equal(inv1.Balance, Number(inv1.TotalAmt) - 100);
    assert.equal((await all("CreditMemo")).length, 1);
    assert.equal(inv2.Balance, Number(inv2.TotalAmt) - 20);
  });

  it("counts every entry of its plan by phase and action", () => {
    const counts: Record<string, number> = {};
    for (const p of first.plan)
      counts[`${p.phase} ${p.action}`] = (counts[`${p.phase} ${p.action}`] ?? 0) + 1;
    assert.deepEqual(first.planCounts, counts);
    assert.ok((first.planCounts?.["invoice create"] ?? 0) > 0);
  });

  it("writes nothing on a second pass", async () => {
    const summary = await runSyncPass(engine.deps);
    assert.equal(summary.written.sent, 0, JSON.stringify(summary.plan));
    assert.deepEqual(await engine.store.listIssues({ state: "open" }), []);
  });
});
