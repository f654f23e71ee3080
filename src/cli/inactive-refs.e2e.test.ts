import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  approvedBill,
  clioIdOf,
  clioPerson,
  openItems,
  qboRows,
  qboUserUpdate,
  qboUserWrite,
} from "../testing/cli-firm.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

type Obj = Record<string, unknown>;

/**
 * Issue 10, rule 2 ("the same for any inactive item or account lexbridge relies on"), through the
 * public CLI: the QBO item lexbridge puts on service lines is made inactive in QBO. lexbridge does
 * not create a second item of that name (6240) nor fail each invoice on it (610): one item says
 * so, the new bill waits on it, and re-sync of that item makes it active again and sends the bill.
 */
describe("an item lexbridge relies on made inactive in QuickBooks", () => {
  let pair: EmulatorPair;
  let clientId = 0;
  const rows = (type: string) => qboRows(pair, type);
  const sync = async () => assert.equal((await runCli(["sync", "--once", ...pair.cliFlags])).code, 0);

  before(async () => {
    pair = await startEmulatorPair();
    clientId = await clioPerson(pair, "Ivo", "Items", "ivo@example.test");
    await approvedBill(pair, clientId, "I-1");
  });
  after(async () => pair?.close());

  it("lists one item, holds the bill on it, and re-sync reactivates the item and sends the bill", async () => {
    await sync();
    const services = rows("Item").find((i) => i.Name === "Legal Services (Clio)");
    assert.ok(services, "lexbridge made its services item");
    assert.ok(rows("Invoice").some((i) => i.DocNumber === "I-1"));
    const itemCount = rows("Item").length;

    // Someone makes the item inactive in QuickBooks, then Clio gets a new bill.
    const deactivated = await qboUserUpdate(pair, "item", {
      Id: services.Id,
      SyncToken: services.SyncToken,
      Active: false,
    });
    assert.equal(deactivated.status, 200, await deactivated.text());
    await approvedBill(pair, clientId, "I-2");
    await sync();
    await sync();

    assert.equal(rows("Item").length, itemCount, "no second item beside the inactive one");
    assert.equal(rows("Invoice").filter((i) => i.DocNumber === "I-2").length, 0, "the new bill waits");
    const open = await openItems(pair);
    const root = open.filter((i) => i.code === "sync_item_inactive");
    assert.deepEqual(
      root.map((i) => [i.key, i.attempts]),
      [[`qbo_item:${services.Id}`, 1]],
      "one item for the inactive QBO item, raised once over two passes",
    );
    assert.equal(open.filter((i) => i.code === "sync_reference_inactive").length, 1, "the bill waits on it");
    for (const code of ["qbo_duplicate_name", "qbo_invalid_reference", "sync_setup_failed"])
      assert.equal(open.filter((i) => i.code === code).length, 0, `no ${code}`);

    const resync = await runCli(["resync", String(root[0]!.id), ...pair.cliFlags]);
    assert.equal(resync.code, 0, resync.stderr);
    const item = rows("Item").find((i) => i.Id === services.Id)!;
    assert.notEqual(item.Active, false, "active again");
    const i2 = rows("Invoice").find((i) => i.DocNumber === "I-2");
    assert.ok(i2, "the waiting bill was sent");
    const itemRef = ((i2.Line as Obj[])[0]!.SalesItemLineDetail as { ItemRef: { value: string } }).ItemRef;
    assert.equal(itemRef.value, services.Id, "on the same item");
    const left = await openItems(pair);
    assert.equal(
      left.filter((i) => i.code === "sync_item_inactive" || i.code === "sync_reference_inactive").length,
      0,
    );
  });
});

describe("a trust account lexbridge posts to made inactive in QuickBooks", () => {
  let pair: EmulatorPair;
  let matter = 0;
  const rows = (type: string) => qboRows(pair, type);
  const sync = async () => assert.equal((await runCli(["sync", "--once", ...pair.cliFlags])).code, 0);
  const deposit = async (amount: number, date: string) =>
    clioIdOf(await pair.clioAdmin("POST", "/trust/deposits", { matter_id: matter, amount, date }));

  before(async () => {
    pair = await startEmulatorPair();
    const client = await clioPerson(pair, "Tess", "Trust", "tess@example.test");
    matter = clioIdOf(await pair.clioAdmin("POST", "/matters", { client_id: client, description: "Escrow" }));
    await deposit(500, "2026-04-01");
  });
  after(async () => pair?.close());

  it("holds the new trust entry on one item; re-sync reactivates the account and writes the entry", async () => {
    await sync();
    assert.equal(rows("JournalEntry").length, 1, "the first deposit is in QuickBooks");
    const liability = rows("Account").find((a) => a.AccountSubType === "TrustAccountsLiabilities");
    assert.ok(liability, "lexbridge made the trust liability account");
    const accountCount = rows("Account").length;

    const deactivated = await qboUserUpdate(pair, "account", {
      Id: liability.Id,
      SyncToken: liability.SyncToken,
      Name: liability.Name,
      Active: false,
    });
    assert.equal(deactivated.status, 200, await deactivated.text());
    await deposit(200, "2026-04-05");
    await sync();
    await sync();

    assert.equal(rows("Account").length, accountCount, "no second account beside the inactive one");
    assert.equal(rows("JournalEntry").length, 1, "the new deposit waits");
    const open = await openItems(pair);
    const root = open.filter((i) => i.code === "sync_account_inactive");
    assert.deepEqual(
      root.map((i) => [i.key, i.attempts]),
      [[`qbo_account:${liability.Id}`, 1]],
    );
    assert.equal(open.filter((i) => i.code === "sync_reference_inactive").length, 1, "the entry waits on it");
    assert.equal(open.filter((i) => i.code === "qbo_invalid_reference").length, 0, "no 610 per entry");

    const resync = await runCli(["resync", String(root[0]!.id), ...pair.cliFlags]);
    assert.equal(resync.code, 0, resync.stderr);
    assert.notEqual(rows("Account").find((a) => a.Id === liability.Id)!.Active, false, "active again");
    assert.equal(rows("JournalEntry").length, 2, "the waiting deposit was written");
    assert.deepEqual(
      (await openItems(pair)).map((i) => i.code),
      [],
    );
  });
});

describe("an item of lexbridge's name already inactive in QuickBooks before the first sync", () => {
  let pair: EmulatorPair;
  const rows = (type: string) => qboRows(pair, type);

  before(async () => {
    pair = await startEmulatorPair();
    const client = await clioPerson(pair, "Fay", "First", "fay@example.test");
    await approvedBill(pair, client, "F-1");
    // Someone made (or kept) an item of that name in QuickBooks, and made it inactive.
    const income = rows("Account").find((a) => a.AccountType === "Income")!;
    const made = await qboUserWrite(pair, "item", {
      Name: "Legal Services (Clio)",
      Type: "Service",
      IncomeAccountRef: { value: income.Id },
    });
    const answer = await made.text();
    assert.equal(made.status, 200, answer);
    const item = (JSON.parse(answer) as { Item: Obj }).Item;
    const off = await qboUserUpdate(pair, "item", { Id: item.Id, SyncToken: item.SyncToken, Active: false });
    assert.equal(off.status, 200, await off.text());
  });
  after(async () => pair?.close());

  it("uses it instead of making another (6240); the bill waits on it until a re-sync", async () => {
    const first = await runCli(["sync", "--once", ...pair.cliFlags]);
    assert.equal(first.code, 0, first.stderr);
    const named = rows("Item").filter((i) => i.Name === "Legal Services (Clio)");
    assert.equal(named.length, 1, "no second item of that name");
    assert.equal(rows("Invoice").length, 0, "the bill waits");
    const root = (await openItems(pair)).filter((i) => i.code === "sync_item_inactive");
    assert.deepEqual(
      root.map((i) => i.key),
      [`qbo_item:${named[0]!.Id}`],
    );
    assert.equal((await runCli(["resync", String(root[0]!.id), ...pair.cliFlags])).code, 0);
    const [invoice] = rows("Invoice");
    assert.ok(invoice, "sent once the item is active again");
    const line = (invoice.Line as Obj[])[0]!.SalesItemLineDetail as { ItemRef: { value: string } };
    assert.equal(line.ItemRef.value, named[0]!.Id);
    assert.deepEqual(
      (await openItems(pair)).map((i) => i.code),
      [],
    );
  });
});
