import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { formatMoney, parseMoney, parsePresentMoney } from "../core/money.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { isInvoiceable } from "../engine/eligibility.ts";
import { type PassSummary, runSyncPass } from "../engine/sync-pass.ts";
import type { ClioBillView } from "../mapping/clio-billing-views.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;

/**
 * Issue 5's main acceptance test: the generated medium firm, synced over real HTTP into a QBO
 * company that already has customers (exact and near matches), colliding vendors and invoice
 * numbers. Expectations are computed from the Clio API and the seed, not from the engine's state.
 */
describe("sync end to end: medium firm", () => {
  const firm = generateFirm({ size: "medium", seed: 7 });
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let first: PassSummary;
  let bills: ClioBillView[];
  let seedBefore: Map<string, Row>;

  const all = async (entity: "Customer" | "Invoice" | "Payment" | "CreditMemo") => {
    const out: Row[] = [];
    for await (const r of engine.deps.qbo.queryAll(qboQuery(entity))) out.push(r as Row);
    return out;
  };

  before(async () => {
    pair = await startEmulatorPair({
      clio: { firm, rateLimitPerMinute: 1_000_000 },
      qbo: { seed: firm.qbo, quotas: { enabled: false } },
    });
    engine = await createEngine(pair.config, silentLogger);
    seedBefore = new Map((await all("Customer")).map((c) => [String(c.Id), c]));
    first = await runSyncPass(engine.deps);
    bills = [];
    for await (const page of engine.deps.clio.list("bill", undefined))
      bills.push(...(page.records as unknown as ClioBillView[]));
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("links or creates every eligible contact, and no other", async () => {
    const eligible = new Set(
      bills.filter((b) => isInvoiceable(b, "2020-01-01")).map((b) => String(b.client?.id)),
    );
    // Once the pass pulls trust transactions, clients with trust movements are eligible too (§1.5).
    if (first.pulled.bank_transaction !== undefined) {
      for await (const page of engine.deps.clio.list("bank_transaction", undefined))
        for (const t of page.records) eligible.add(String((t.client as { id: number }).id));
    }
    const links = await engine.store.listLinks("customer");
    for (const link of links)
      assert.ok(
        eligible.has(link.clioId),
        `contact ${link.clioId} was synced without an approved bill or trust movement`,
      );
    const open = await engine.store.listIssues({ state: "open" });
    for (const id of eligible) {
      const linked = links.some((l) => l.clioId === id && l.state === "linked");
      const flagged = open.some((i) => i.key === `contact:${id}`);
      assert.ok(linked || flagged, `eligible contact ${id} is neither linked nor on Sync Status`);
    }
    const nameClashes = open.filter((i) => i.code === "qbo_duplicate_name");
    assert.ok(nameClashes.length > 0, "vendors named like new customers are 6240 issues");
    assert.ok(nameClashes.every((i) => i.providerCode === "6240" && i.key.startsWith("contact:")));
    const waiting = open.filter((i) => i.key.startsWith("contact:")).length;
    assert.equal(
      links.length + waiting,
      eligible.size,
      "each eligible contact is linked or waits on one issue",
    );
  });

  it("links exact matches instead of duplicating them, and only proposes near matches", async () => {
    const customers = await all("Customer");
    const linkedSeed = (await engine.store.listLinks("customer")).filter((l) => seedBefore.has(l.qboId));
    assert.ok(
      linkedSeed.length >= firm.summary.qbo.exactMatches,
      `${linkedSeed.length} seed customers linked, ${firm.summary.qbo.exactMatches} exact matches`,
    );
    const createdLinks = (await engine.store.listLinks("customer")).filter((l) => !seedBefore.has(l.qboId));
    assert.equal(
      customers.length - seedBefore.size,
      createdLinks.length,
      "every new customer is linked: no duplicates",
    );
    const proposals = await engine.store.listMatches("proposed");
    assert.ok(proposals.length >= firm.summary.qbo.nearMisses, "every near miss is proposed");
    for (const p of proposals) {
      assert.equal(
        await engine.store.getLinkByQboId("customer", p.qboId),
        undefined,
        `near match ${p.qboId} was linked`,
      );
    }
  });

  it("writes every approved bill of a synced client as an invoice with its number and total, or lists why not", async () => {
    const invoices = new Map((await all("Invoice")).map((i) => [String(i.Id), i]));
    const open = await engine.store.listIssues({ state: "open" });
    let checked = 0;
    for (const bill of bills.filter((b) => isInvoiceable(b, "2020-01-01"))) {
      const link = await engine.store.getLink("invoice", String(bill.id));
      if (!link) {
        assert.ok(
          open.some((i) => i.key === `bill:${bill.id}`),
          `bill ${bill.id} has no invoice and no issue`,
        );
        continue;
      }
      const invoice = invoices.get(link.qboId)!;
      assert.equal(invoice.DocNumber, bill.number);
      assert.equal(
        formatMoney(parseMoney(invoice.TotalAmt as number)),
        formatMoney(parsePresentMoney(bill.total)),
        `bill ${bill.id} total`,
      );
      checked++;
    }
    assert.ok(checked > 100, `${checked} invoices checked`);
    const collisions = open.filter((i) => i.code === "qbo_duplicate_doc_number");
    assert.ok(
      collisions.length > 0 && collisions.every((i) => i.providerCode === "6140"),
      "number collisions are 6140 issues",
    );
    for (const bill of bills.filter((b) => !isInvoiceable(b, "2020-01-01") && b.state !== "void")) {
      assert.equal(
        await engine.store.getLink("invoice", String(bill.id)),
        undefined,
        `bill ${bill.id} (${bill.state}) must not sync`,
      );
    }
  });

  it("applies every payment to the invoices it pays, to the cent", async () => {
    const payments = new Map((await all("Payment")).map((p) => [String(p.Id), p]));
    const links = await engine.store.listLinks("payment");
    assert.ok(links.length > 100, `${links.length} payments`);
    for (const link of links) {
      const payment = payments.get(link.qboId)!;
      const allocations = (await engine.store.listMirrorByParent("allocation", `Payment:${link.clioId}`)).map(
        (m) => m.data as Row,
      );
      const expected = new Map<string, number>();
      for (const a of allocations) {
        if (a.voided_at) continue;
        const invoice = await engine.store.getLink("invoice", String((a.bill as Row).id));
        if (invoice)
          expected.set(invoice.qboId, (expected.get(invoice.qboId) ?? 0) + parseMoney(a.amount as number));
      }
      const actual = new Map<string, number>();
      for (const line of payment.Line as Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string }> }>) {
        actual.set(line.LinkedTxn[0]!.TxnId, parseMoney(line.Amount));
      }
      if (expected.size === 0) assert.equal(Number(payment.TotalAmt), 0, `voided payment ${link.clioId}`);
      else assert.deepEqual(actual, expected, `payment ${link.clioId}`);
    }
  });

  it("leaves QBO-only customers untouched", async () => {
    const linked = new Set((await engine.store.listLinks("customer")).map((l) => l.qboId));
    const now = new Map((await all("Customer")).map((c) => [String(c.Id), c]));
    for (const [id, before] of seedBefore) {
      if (linked.has(id)) continue;
      assert.equal(now.get(id)?.SyncToken, before.SyncToken, `QBO-only customer ${id} was changed`);
    }
  });

  it("writes nothing on a second pass", async () => {
    const second = await runSyncPass(engine.deps);
    assert.equal(
      second.written.sent,
      0,
      JSON.stringify(second.plan.filter((p) => p.phase !== "issue").slice(0, 5)),
    );
  });
});
