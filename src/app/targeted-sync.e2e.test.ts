import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import type { SyncTargets } from "../engine/targeted-reads.ts";
import { approvedClioBill } from "../testing/clio-bill.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;

/**
 * A targeted sync (what a webhook delivery starts) against both emulators over real HTTP: it
 * reads just the named records, writes what they change and nothing else Clio changed meanwhile,
 * moves no cursor, and the next ordinary pass writes the rest without writing anything twice.
 */
describe("targeted sync: the records a webhook names, and only those", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let realm: string;
  const clients: Record<string, string> = {};
  const clioRequests: URL[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.origin === new URL(pair.clio.url).origin && url.pathname.startsWith("/api/v4/"))
      clioRequests.push(url);
    return fetch(input, init);
  };
  const idOf = (r: Row) => String((r.data as { id: number }).id);
  const targets = (t: Partial<SyncTargets>): SyncTargets => ({ contacts: [], bills: [], qbo: [], ...t });
  const records = (entity: string): Row[] =>
    Object.values(pair.qbo.emulator.state.realms[realm]!.records[entity] ?? {}).map((r) => ({
      ...(r.data as Row),
      Id: String(r.id),
    }));
  const invoices = (number: string) => records("Invoice").filter((i) => i.DocNumber === number);
  const customer = (family: string) => records("Customer").find((c) => c.FamilyName === family);
  const newBill = (client: string, number: string, price: number) =>
    approvedClioBill(pair, { client, number, price });
  const patchContact = async (id: string, data: Row) => {
    const token = pair.clio.emulator.issueToken().access_token;
    const res = await fetch(`${pair.clio.url}/api/v4/contacts/${id}.json`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ data }),
    });
    assert.equal(res.status, 200);
  };
  const cursors = async () => {
    const out: Record<string, string | undefined> = {};
    for (const stream of ["clio:contact", "clio:bill", "clio:line_item", "clio:allocation", "qbo:cdc"])
      out[stream] = await engine.store.getCursor(stream);
    return out;
  };

  before(async () => {
    pair = await startEmulatorPair();
    realm = pair.qbo.defaultRealmId;
    for (const [first, last] of [
      ["Ann", "Target"],
      ["Bob", "Bystander"],
    ] as const) {
      const id = idOf(
        await pair.clioAdmin("POST", "/contacts", {
          type: "Person",
          first_name: first,
          last_name: last,
          email_addresses: [
            { address: `${first.toLowerCase()}@example.test`, name: "Work", default_email: true },
          ],
        }),
      );
      clients[last] = id;
      await newBill(id, `${last[0]}-1`, 100);
    }
    engine = await createEngine(pair.config, silentLogger, { fetch: counting });
    const first = await runSyncPass(engine.deps);
    assert.equal(first.written.failed, 0);
    assert.equal(invoices("T-1").length + invoices("B-1").length, 2, "the first pass wrote both invoices");
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("a new bill and its payment: its invoice and payment are written, another changed bill is not, in 4 Clio calls", async () => {
    const bill = await newBill(clients.Target!, "T-2", 250);
    await pair.clioAdmin("POST", "/payments", {
      date: "2026-03-10",
      reference: "CHQ-1",
      allocations: [{ bill_id: Number(bill), amount: "250" }],
    });
    await newBill(clients.Bystander!, "B-2", 80); // changed in Clio, named by no delivery
    const before = await cursors();
    clioRequests.length = 0;

    const summary = await runSyncPass(engine.deps, { targets: targets({ bills: [bill] }) });

    assert.deepEqual(summary.targeted, { records: 1 });
    assert.equal(invoices("T-2").length, 1, "the bill's invoice");
    assert.equal(invoices("B-2").length, 0, "the bill no delivery named waits for the pass");
    const payments = records("Payment").filter((p) => Number(p.TotalAmt) === 250);
    assert.equal(payments.length, 1, "the payment, read through its bill");
    assert.deepEqual(
      clioRequests.map(
        (u) =>
          `${u.pathname.replace("/api/v4/", "")}?${[...u.searchParams.keys()].filter((k) => k !== "fields" && k !== "limit" && k !== "order").join("&")}`,
      ),
      [
        "bills.json?ids[]",
        "line_items.json?bill_id",
        "allocations.json?bill_id",
        "allocations.json?parent_id",
      ],
      "the bill, its line items, its allocations, and its payment's allocations",
    );
    assert.deepEqual(await cursors(), before, "no cursor moved");
    assert.deepEqual(summary.touchedClients, [clients.Target]);

    const pass = await runSyncPass(engine.deps);
    assert.equal(invoices("B-2").length, 1, "the pass writes the other bill");
    assert.deepEqual(
      pass.plan.filter((p) => p.action !== "propose").map((p) => `${p.phase} ${p.action}`),
      ["invoice create"],
      "and nothing the targeted sync wrote",
    );
    assert.equal(invoices("T-2").length, 1);
    assert.equal(records("Payment").filter((p) => Number(p.TotalAmt) === 250).length, 1);
    assert.ok(
      pass.touchedClients.includes(clients.Target!),
      "the targeted client is reconciled after the pass",
    );
  });

  it("a payment that also pays a bill no delivery named: that bill is read too, and the payment written whole", async () => {
    const named = await newBill(clients.Target!, "T-3", 40);
    const other = await newBill(clients.Target!, "T-4", 60);
    await pair.clioAdmin("POST", "/payments", {
      date: "2026-03-11",
      reference: "CHQ-2",
      allocations: [
        { bill_id: Number(named), amount: "40" },
        { bill_id: Number(other), amount: "60" },
      ],
    });
    clioRequests.length = 0;

    const summary = await runSyncPass(engine.deps, { targets: targets({ bills: [named] }) });

    assert.deepEqual(
      summary.plan.map((p) => `${p.phase} ${p.action}`),
      ["invoice create", "invoice create", "payment create"],
    );
    assert.equal(invoices("T-4").length, 1, "the other bill's invoice, which the payment waits on");
    assert.equal(records("Payment").filter((p) => Number(p.TotalAmt) === 100).length, 1);
    assert.equal(clioRequests.length, 7, "4 for the named bill, 3 for the other (its payment already read)");
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.sent, 0, "the pass has nothing left to write");
  });

  it("a bill voided in Clio: its invoice is voided in QuickBooks", async () => {
    const bill = await newBill(clients.Target!, "T-5", 70);
    await runSyncPass(engine.deps);
    assert.equal(Number(invoices("T-5")[0]?.TotalAmt), 70);
    await pair.clioAdmin("DELETE", `/bills/${bill}`);

    const summary = await runSyncPass(engine.deps, { targets: targets({ bills: [bill] }) });

    assert.deepEqual(
      summary.plan.map((p) => `${p.phase} ${p.action} ${p.clioId}`),
      [`invoice void ${bill}`],
    );
    assert.equal(Number(invoices("T-5")[0]?.TotalAmt), 0, "voided");
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.sent, 0);
  });

  it("a bill Clio stops listing once void (unconfirmed, a switch of the emulator): a tombstone, its invoice voided", async () => {
    const bill = await newBill(clients.Target!, "T-6", 90);
    await runSyncPass(engine.deps);
    await pair.clioAdmin("DELETE", `/bills/${bill}`);
    pair.clio.emulator.config.listVoidAndDeletedBills = false;
    try {
      const summary = await runSyncPass(engine.deps, { targets: targets({ bills: [bill] }) });
      assert.equal(summary.pulled["deleted bill"], 1);
      assert.deepEqual(
        summary.plan.map((p) => `${p.phase} ${p.action} ${p.clioId}`),
        [`invoice void ${bill}`],
      );
      assert.equal(Number(invoices("T-6")[0]?.TotalAmt), 0, "voided");
      assert.equal((await runSyncPass(engine.deps)).written.sent, 0);
    } finally {
      pair.clio.emulator.config.listVoidAndDeletedBills = true;
    }
  });

  it("a contact edited in Clio: its customer is updated, another edited contact waits for the pass", async () => {
    await patchContact(clients.Target!, { first_name: "Annie" });
    await patchContact(clients.Bystander!, { first_name: "Bobby" });
    const before = await cursors();

    const summary = await runSyncPass(engine.deps, { targets: targets({ contacts: [clients.Target!] }) });

    assert.equal(summary.written.succeeded, 1);
    assert.equal(customer("Target")?.GivenName, "Annie");
    assert.equal(customer("Bystander")?.GivenName, "Bob");
    assert.deepEqual(await cursors(), before);
    const pass = await runSyncPass(engine.deps);
    assert.equal(customer("Bystander")?.GivenName, "Bobby");
    assert.deepEqual(
      pass.plan.map((p) => `${p.phase} ${p.action} ${p.clioId}`),
      [`customer update ${clients.Bystander}`],
    );
  });

  it("a customer edited in QuickBooks: the change reaches its Clio contact, the feed's cursor stays", async () => {
    const id = String(customer("Target")!.Id);
    await pair.qboAdmin("PATCH", `/realms/${realm}/customer/${id}`, {
      PrimaryEmailAddr: { Address: "ann.new@example.test" },
    });
    const before = await cursors();

    const summary = await runSyncPass(engine.deps, {
      targets: targets({ qbo: [{ entity: "Customer", id }] }),
    });

    assert.deepEqual(summary.targeted, { records: 1 });
    const contact = pair.clio.emulator.state.get("contacts", Number(clients.Target)) as unknown as Row;
    const emails = (contact.email_addresses as Row[]).map((e) => e.address);
    assert.ok(
      emails.includes("ann.new@example.test"),
      `the contact has the new email (${emails.join(", ")})`,
    );
    assert.deepEqual(await cursors(), before);
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.sent, 0, "the pass finds the change made already");
  });

  it("a journal entry: our own write coming back changes nothing; one edited in QuickBooks gives way to the pass", async () => {
    const [debit, credit] = records("Account").map((a) => String(a.Id));
    const line = (posting: string, account: string) => ({
      Amount: 10,
      DetailType: "JournalEntryLineDetail",
      JournalEntryLineDetail: { PostingType: posting, AccountRef: { value: account } },
    });
    const made = await engine.deps.qbo.create(
      "JournalEntry",
      { TxnDate: "2026-03-05", Line: [line("Debit", debit!), line("Credit", credit!)] },
      { requestId: "targeted-sync-test-je" },
    );
    assert.ok(made.ok);
    const id = String(made.value.Id);
    const now = Date.now();
    await engine.store.commit(
      {
        links: [
          {
            entity: "journal_entry",
            clioId: "trust:test",
            qboId: id,
            syncToken: String(made.value.SyncToken),
            state: "linked",
            contentHash: "h",
            qboEditedAt: null,
            baseline: null,
            updatedAt: now,
          },
        ],
      },
      now,
    );
    const ours = await runSyncPass(engine.deps, {
      targets: targets({ qbo: [{ entity: "JournalEntry", id }] }),
    });
    assert.deepEqual(ours.targeted, { records: 1 }, "our own write: no pass needed");
    assert.deepEqual(ours.plan, []);

    await pair.qboAdmin("PATCH", `/realms/${realm}/JournalEntry/${id}`, { PrivateNote: "edited" });
    const edited = await runSyncPass(engine.deps, {
      targets: targets({ qbo: [{ entity: "JournalEntry", id }] }),
    });
    assert.equal(
      edited.targeted?.fallback,
      `QuickBooks JournalEntry ${id} was edited: the pass rewrites trust from Clio`,
    );
  });

  it("before the initial sync has finished, a targeted sync gives way to the pass", async () => {
    const fresh = await createEngine(
      { ...pair.config, dataDir: mkdtempSync(join(tmpdir(), "lexbridge-targeted-")) },
      silentLogger,
    );
    try {
      const summary = await runSyncPass(fresh.deps, { targets: targets({ bills: ["1"] }) });
      assert.deepEqual(summary.targeted, { records: 1, fallback: "the initial sync has not finished" });
      assert.deepEqual(summary.plan, []);
    } finally {
      await fresh.close();
    }
  });

  it("a QuickBooks record that cannot be read gives way to the pass, having planned nothing", async () => {
    const summary = await runSyncPass(engine.deps, {
      targets: targets({ qbo: [{ entity: "Invoice", id: "999999" }] }),
    });
    assert.match(summary.targeted?.fallback ?? "", /QuickBooks Invoice 999999 could not be read/);
    assert.deepEqual(summary.plan, []);
  });
});
