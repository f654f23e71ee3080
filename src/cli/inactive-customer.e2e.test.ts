import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  approvedBill as billFor,
  clioPerson,
  openItems,
  qboRows,
  qboUserUpdate,
} from "../testing/cli-firm.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

type Obj = Record<string, unknown>;

/**
 * Issue 10, rule 2, through the public CLI: a linked customer made inactive in QBO is not
 * duplicated. One item says so, the client's new bill waits on it, and re-sync of that item makes
 * the customer active again and sends the bill.
 */
describe("a linked customer made inactive in QuickBooks", () => {
  let pair: EmulatorPair;
  let clientId = 0;
  const rows = (type: string) => qboRows(pair, type);
  const status = () => openItems(pair);
  const approvedBill = (number: string) => billFor(pair, clientId, number);

  before(async () => {
    pair = await startEmulatorPair();
    clientId = await clioPerson(pair, "Carla", "Inactive", "carla@example.test");
    // Paid in full: QBO refuses to make a customer with an open balance inactive.
    const first = await approvedBill("C-1");
    await pair.clioAdmin("POST", "/payments", { bill_id: first, amount: 250, date: "2026-04-02" });
  });
  after(async () => pair?.close());

  it("keeps the link, lists one item, and re-sync reactivates the customer and sends what waited", async () => {
    assert.equal((await runCli(["sync", "--once", ...pair.cliFlags])).code, 0);
    const [customer] = rows("Customer");
    assert.ok(customer, "the client became a customer");

    // Someone makes the customer inactive in QuickBooks, then Clio gets a new bill for the client.
    const deactivated = await qboUserUpdate(pair, "customer", {
      Id: customer.Id,
      SyncToken: customer.SyncToken,
      Active: false,
    });
    assert.equal(deactivated.status, 200);
    await approvedBill("C-2");

    for (let pass = 0; pass < 2; pass++)
      assert.equal((await runCli(["sync", "--once", ...pair.cliFlags])).code, 0);
    assert.equal(rows("Customer").length, 1, "no second customer beside the inactive one");
    assert.equal(rows("Invoice").filter((i) => i.DocNumber === "C-2").length, 0, "the new bill waits");
    const open = await status();
    const root = open.filter((i) => i.code === "sync_customer_inactive");
    assert.deepEqual(
      root.map((i) => i.key),
      [`contact:${clientId}`],
      "one item for the customer",
    );
    assert.equal(open.filter((i) => i.code === "qbo_duplicate_name").length, 0, "no 6240 from a re-creation");
    assert.equal(open.filter((i) => i.code === "sync_customer_not_synced").length, 1, "the bill waits on it");

    const resync = await runCli(["resync", String(root[0]!.id), ...pair.cliFlags]);
    assert.equal(resync.code, 0, resync.stderr);
    assert.notEqual(rows("Customer")[0]!.Active, false, "active again");
    const c2 = rows("Invoice").find((i) => i.DocNumber === "C-2");
    assert.ok(c2, "the waiting bill was sent");
    assert.equal((c2.CustomerRef as Obj).value, customer.Id);
    const left = await status();
    assert.equal(
      left.filter((i) => i.code === "sync_customer_inactive" || i.code === "sync_customer_not_synced").length,
      0,
    );
  });
});
