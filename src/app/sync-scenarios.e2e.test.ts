import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { clioContactById, linkedQboRecord } from "../testing/linked-records.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;

/** Issue 5's behaviours after the first sync: edits both ways, conflicts, QBO-side damage, voids, re-sync. */
describe("sync scenarios after the first pass", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let ids: Record<string, number>;
  let realm: string;

  const customerOf = (contact: string) => linkedQboRecord(engine, "customer", "Customer", ids[contact]!);
  const clioContact = (contact: string) => clioContactById(engine, ids[contact]!);
  const invoiceOf = (bill: string) => linkedQboRecord(engine, "invoice", "Invoice", ids[bill]!);
  const editInQbo = (entity: string, id: string, patch: Row) =>
    pair.qboAdmin("PATCH", `/realms/${realm}/${entity}/${id}`, patch);
  const pass = () => runSyncPass(engine.deps);

  before(async () => {
    pair = await startEmulatorPair();
    ids = await buildHandFirm(pair);
    realm = pair.qbo.defaultRealmId;
    engine = await createEngine(pair.config, silentLogger);
    await pass();
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("sends a contact edited in Clio to QBO, including a cleared value", async () => {
    const jane = await clioContact("jane");
    const mobile = (jane.phone_numbers as Row[]).find((p) => p.name === "Mobile")!;
    const email = (jane.email_addresses as Row[]).find((e) => e.primary)!;
    await engine.deps.clio.updateContact(String(ids.jane), {
      last_name: "Doe-Smith",
      email_addresses: [{ id: email.id, address: "jane.smith@example.test" }],
      phone_numbers: [{ id: mobile.id, _destroy: true }],
    });
    await pass();
    const customer = await customerOf("jane");
    assert.equal(customer.FamilyName, "Doe-Smith");
    assert.deepEqual(customer.PrimaryEmailAddr, { Address: "jane.smith@example.test" });
    assert.ok(!(customer.Mobile as Row | undefined)?.FreeFormNumber, "mobile cleared in QBO");
  });

  it("brings a customer edited in QBO back to Clio, including a cleared value", async () => {
    const customer = await customerOf("jane");
    await editInQbo("customer", String(customer.Id), {
      PrimaryPhone: { FreeFormNumber: "555-0142" },
      GivenName: "Janet",
    });
    await pass();
    let jane = await clioContact("jane");
    assert.equal(jane.first_name, "Janet");
    assert.equal((jane.phone_numbers as Row[]).find((p) => p.primary)?.number, "555-0142");
    await editInQbo("customer", String(customer.Id), { PrimaryPhone: { FreeFormNumber: "" } });
    await pass();
    jane = await clioContact("jane");
    assert.equal(
      (jane.phone_numbers as Row[]).find((p) => p.primary),
      undefined,
      "primary phone cleared in Clio",
    );
    const again = await pass();
    assert.equal(again.written.sent, 0, "settled: nothing more to write");
  });

  it("settles a field edited on both sides by the policy (latest wins) and audits it", async () => {
    await engine.deps.clio.updateContact(String(ids.jane), { first_name: "Jan" });
    await new Promise((r) => setTimeout(r, 1100)); // QBO's edit is the later one
    const customer = await customerOf("jane");
    await editInQbo("customer", String(customer.Id), { GivenName: "Janine" });
    await pass();
    assert.equal((await customerOf("jane")).GivenName, "Janine");
    assert.equal((await clioContact("jane")).first_name, "Janine");
    const conflicts = (await engine.store.listAudit()).filter((a) => a.action === "conflict");
    assert.equal(conflicts.length, 1);
    assert.deepEqual(conflicts[0]?.after, { field: "givenName", winner: "qbo", policy: "latest-wins" });
  });

  it("restores an invoice edited in QBO from Clio", async () => {
    const invoice = await invoiceOf("bill1");
    const total = invoice.TotalAmt;
    const items = JSON.parse((await engine.store.getKv("qbo:items"))!) as { services: string };
    await editInQbo("invoice", String(invoice.Id), {
      Line: [
        {
          Amount: 1,
          DetailType: "SalesItemLineDetail",
          SalesItemLineDetail: { ItemRef: { value: items.services } },
        },
      ],
    });
    assert.notEqual((await invoiceOf("bill1")).TotalAmt, total);
    await pass();
    assert.equal((await invoiceOf("bill1")).TotalAmt, total);
  });

  it("lists an invoice deleted in QBO and re-creates it on re-sync", async () => {
    const invoice = await invoiceOf("bill3");
    const deleted = await engine.deps.qbo.batch(
      [
        {
          bId: "d",
          operation: "delete",
          entity: "Invoice",
          body: { Id: String(invoice.Id), SyncToken: String(invoice.SyncToken) },
        },
      ],
      {},
    );
    assert.ok(deleted.ok && deleted.value[0]?.ok);
    await pass();
    const [issue] = await engine.store.listIssues({ state: "open", code: "sync_link_broken" });
    assert.equal(issue?.key, `bill:${ids.bill3}`);
    assert.equal(issue?.qboId, String(invoice.Id));
    await pass();
    assert.equal(
      (await engine.store.listIssues({ state: "open", code: "sync_link_broken" })).length,
      1,
      "not re-created without a re-sync",
    );
    assert.equal(await engine.store.requestRetry({ id: issue!.id }), 1);
    await pass();
    const recreated = await invoiceOf("bill3");
    assert.notEqual(recreated.Id, invoice.Id);
    assert.equal(recreated.DocNumber, "INV-4");
    assert.equal(recreated.TotalAmt, invoice.TotalAmt);
    assert.equal((await engine.store.listIssues({ state: "open", code: "sync_link_broken" })).length, 0);
  });

  it("voids the invoice of a bill voided in Clio", async () => {
    await pair.clioAdmin("POST", `/bills/${ids.bill3}/void`);
    await pass();
    const invoice = await invoiceOf("bill3");
    assert.equal(invoice.TotalAmt, 0);
    assert.match(String(invoice.PrivateNote), /^Voided/);
  });

  it("removes the QBO credit memo and its application when the credit is voided in Clio", async () => {
    const memo = (await engine.store.listLinks("credit_memo"))[0]!;
    const application = (await engine.store.getLink("credit_application", memo.clioId))!;
    assert.equal((await invoiceOf("bill2")).Balance, Number((await invoiceOf("bill2")).TotalAmt) - 20);
    await pair.clioAdmin("POST", `/credit_memos/${memo.clioId}/void`);
    await pass();
    assert.equal((await engine.deps.qbo.read("CreditMemo", memo.qboId)).ok, false, "credit memo removed");
    assert.equal((await engine.deps.qbo.read("Payment", application.qboId)).ok, false, "application removed");
    const invoice = await invoiceOf("bill2");
    assert.equal(invoice.Balance, invoice.TotalAmt, "the invoice is open for its whole total again");
    assert.equal((await pass()).written.sent, 0);
  });

  it("voids the QBO payment of a payment voided in Clio", async () => {
    const link = (await engine.store.listLinks("payment"))[0]!;
    await pair.clioAdmin("POST", `/payments/${link.clioId}/void`);
    await pass();
    const payment = await engine.deps.qbo.read("Payment", link.qboId);
    assert.ok(payment.ok);
    assert.equal((payment.value as Row).TotalAmt, 0);
  });
});

describe("a payment already deposited in QBO (6540)", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;

  before(async () => {
    pair = await startEmulatorPair();
    await buildHandFirm(pair);
    engine = await createEngine(pair.config, silentLogger);
    await runSyncPass(engine.deps);
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("is never half-changed: a Clio void is held as an issue with the fix, and QBO is left as it was", async () => {
    const link = (await engine.store.listLinks("payment"))[0]!;
    const before = await engine.deps.qbo.read("Payment", link.qboId);
    assert.ok(before.ok);
    await pair.qboAdmin("POST", `/realms/${pair.qbo.defaultRealmId}/deposit`, { paymentIds: [link.qboId] });
    await pair.clioAdmin("POST", `/payments/${link.clioId}/void`);
    await runSyncPass(engine.deps);
    const [issue] = await engine.store.listIssues({ state: "open", code: "sync_payment_deposited" });
    assert.equal(issue?.key, `payment:${link.clioId}`);
    assert.equal(issue?.providerCode, "6540");
    const after = await engine.deps.qbo.read("Payment", link.qboId);
    assert.ok(after.ok);
    assert.equal((after.value as Row).TotalAmt, (before.value as Row).TotalAmt, "the payment is unchanged");
  });
});
