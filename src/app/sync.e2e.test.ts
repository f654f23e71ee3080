import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

/**
 * A small firm built through the Clio emulator's admin API, synced over real HTTP into a QBO
 * emulator that already holds a customer for one of the clients.
 */
describe("sync end to end (hand-built firm)", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  const ids: Record<string, number> = {};

  before(async () => {
    pair = await startEmulatorPair();
    const contact = async (name: string, body: Record<string, unknown>) => {
      ids[name] = Number(((await pair.clioAdmin("POST", "/contacts", body)).data as { id: number }).id);
    };
    await contact("jane", {
      type: "Person",
      first_name: "Jane",
      last_name: "Doe",
      email_addresses: [{ address: "jane@example.test", name: "Work", default_email: true }],
      phone_numbers: [{ number: "555-0100", name: "Work", default_number: true }],
    });
    await contact("acme", {
      type: "Company",
      name: "Acme: Holdings",
      email_addresses: [{ address: "ap@acme.test", name: "Work", default_email: true }],
    });
    await contact("nobill", { type: "Person", first_name: "Draft", last_name: "Only" });
    const matter = async (client: string) =>
      Number(
        (
          (
            await pair.clioAdmin("POST", "/matters", {
              client_id: ids[client],
              description: `${client} matter`,
            })
          ).data as { id: number }
        ).id,
      );
    const bill = async (
      client: string,
      number: string,
      lines: unknown[],
      extra: Record<string, unknown> = {},
    ) => {
      const created = await pair.clioAdmin("POST", "/bills", {
        matter_id: await matter(client),
        number,
        issued_at: "2026-03-01",
        due_at: "2026-03-31",
        line_items: lines,
        ...extra,
      });
      return Number((created.data as { id: number }).id);
    };
    ids.bill1 = await bill(
      "jane",
      "INV-1",
      [
        { kind: "Service", description: "Research", quantity: 2, price: 150, taxable: true },
        { kind: "Expense", description: "Filing fee", quantity: 1, price: 50 },
      ],
      { tax_rate: 10, discount: { rate: 5, type: "percentage" } },
    );
    ids.bill2 = await bill("acme", "INV-2", [
      { kind: "Service", description: "Advice", quantity: 1.5, price: 200 },
    ]);
    ids.draft = await bill("nobill", "INV-3", [
      { kind: "Service", description: "Draft", quantity: 1, price: 10 },
    ]);
    await pair.clioAdmin("POST", `/bills/${ids.bill1}/approve`);
    await pair.clioAdmin("POST", `/bills/${ids.bill2}/approve`);
    await pair.clioAdmin("POST", "/payments", { bill_id: ids.bill1, amount: 100, date: "2026-03-10" });
    await pair.clioAdmin("POST", "/credit_memos", {
      bill_id: ids.bill2,
      amount: 20,
      date: "2026-03-12",
      description: "Courtesy",
    });
    await pair.qbo.emulator.loadSeed({
      customers: [
        {
          DisplayName: "Doe, Jane",
          GivenName: "Jane",
          FamilyName: "Doe",
          PrimaryEmailAddr: { Address: "JANE@example.test" },
        },
      ],
      vendors: [],
      invoices: [],
    });
    engine = await createEngine(pair.config, silentLogger);
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
    const summary = await runSyncPass(engine.deps);
    assert.equal(summary.written.failed, 0, JSON.stringify(await engine.store.listIssues()));
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
    assert.deepEqual(invoices.map((i) => i.DocNumber).sort(), ["INV-1", "INV-2"]);
    for (const number of ["INV-1", "INV-2"]) {
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

  it("writes nothing on a second pass", async () => {
    const summary = await runSyncPass(engine.deps);
    assert.equal(summary.written.sent, 0, JSON.stringify(summary.plan));
    assert.deepEqual(await engine.store.listIssues({ state: "open" }), []);
  });
});
