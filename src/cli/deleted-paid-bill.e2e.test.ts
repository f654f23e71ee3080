import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  approvedBill,
  clioIdOf,
  clioPerson,
  openItems,
  type PassOutput,
  plannedWrites,
  qboRows,
  syncOnceFull,
} from "../testing/cli-firm.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

/**
 * Issue 10, rule 1, through the public CLI: a paid bill and its payment deleted in Clio between
 * two passes. Clio refuses to delete a bill with payments, so the payment goes first, and the next
 * pass sees both gone at once. QBO refuses to void an invoice that still has a payment applied, so
 * the pass must void the payment before the invoice; in the end both are void in QBO, the
 * balances agree, and no item is left open. A dry run before lists what the real pass writes.
 */
describe("a paid bill deleted in Clio together with its payment", () => {
  let pair: EmulatorPair;
  let bill = 0;
  let payment = 0;
  const sync = () => syncOnceFull(pair);
  const invoice = () => qboRows(pair, "Invoice").find((i) => i.DocNumber === "D-1")!;
  const qboPayment = () =>
    qboRows(pair, "Payment").find(
      (p) => String(p.PrivateNote ?? "").replace(/^Voided - /, "") === `Clio payment ${payment}`,
    );

  before(async () => {
    pair = await startEmulatorPair();
    const client = await clioPerson(pair, "Dora", "Deleted", "dora@example.test");
    bill = await approvedBill(pair, client, "D-1");
    payment = clioIdOf(
      await pair.clioAdmin("POST", "/payments", { bill_id: bill, amount: 250, date: "2026-04-02" }),
    );
    const first = await sync();
    assert.deepEqual(first.reconciled, { scope: "full", ok: true, differences: 0 });
    assert.equal(Number(invoice().Balance), 0, "paid in full in QuickBooks");
    assert.equal(Number(qboPayment()?.TotalAmt), 250);
  });
  after(async () => pair?.close());

  it("voids the payment and then the invoice in one pass, and the dry run listed both", async () => {
    await pair.clioAdmin("DELETE", `/payments/${payment}`);
    await pair.clioAdmin("DELETE", `/bills/${bill}`);

    const dry = await runCli(["sync", "--dry-run", "--json", ...pair.cliFlags]);
    assert.equal(dry.code, 0, dry.stderr);
    const planned = plannedWrites(JSON.parse(dry.stdout) as PassOutput);
    const pass = await sync();
    assert.deepEqual(planned, plannedWrites(pass), "the dry run lists what the real pass writes");
    assert.deepEqual(
      planned,
      [`invoice void ${bill}`, `payment void ${payment}`],
      "the payment and the invoice voided, nothing else",
    );
    assert.equal(pass.written.failed, 0, "no write refused");

    assert.equal(Number(qboPayment()?.TotalAmt), 0, "payment voided");
    assert.match(String(qboPayment()?.PrivateNote), /^Voided/);
    const voided = invoice();
    assert.equal(Number(voided.TotalAmt), 0, "invoice voided");
    assert.match(String(voided.PrivateNote), /^Voided/);
    assert.equal(Number(voided.Balance), 0);
    assert.deepEqual(pass.reconciled, { scope: "full", ok: true, differences: 0 }, "balances agree");
    assert.deepEqual(
      (await openItems(pair)).map((i) => i.code),
      [],
      "no open item",
    );
    assert.equal((await sync()).written.sent, 0, "settled: nothing more to write");
  });
});
