import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import type { TappedRequest } from "../emulators/qbo/request-tap.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { normalizeQboExport } from "../testing/normalize-qbo.ts";
import { qboRequestLabel } from "../testing/qbo-request-label.ts";
import { withRepagedStream, writtenOrGaveUp } from "../testing/repaged-clio.ts";
import { isWriting } from "../testing/sync-process.ts";
import { createEngine } from "./engine-factory.ts";

/** How long the held page waits for the invoice write before the test gives up on it. */
const GIVE_UP_MS = 20_000;
const NUMBER = "EARLY-1";

const idOf = (r: Record<string, unknown>) => String((r.data as { id: number }).id);

/** The firm, plus a bill of three lines of which the last two cancel out (250 + 30 − 30). */
async function firmWithCancellingLines(): Promise<{ pair: EmulatorPair; billId: string }> {
  const firm = generateFirm({ size: "small", seed: 3 });
  const pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  const client = idOf(
    await pair.clioAdmin("POST", "/contacts", { type: "Company", name: "Early Lines LLC" }),
  );
  const matter = idOf(
    await pair.clioAdmin("POST", "/matters", { client_id: Number(client), description: "Work" }),
  );
  const billId = idOf(
    await pair.clioAdmin("POST", "/bills", {
      matter_id: Number(matter),
      number: NUMBER,
      issued_at: "2026-03-02",
      due_at: "2026-04-01",
      line_items: [
        { kind: "Service", description: "Advice", quantity: 1, price: 250 },
        { kind: "Service", description: "Extra call", quantity: 1, price: 30 },
        { kind: "Service", description: "Extra call written off", quantity: 1, price: -30 },
      ],
    }),
  );
  await pair.clioAdmin("POST", `/bills/${billId}/approve`);
  return { pair, billId };
}

/**
 * Issue 13: a new bill's invoice is written while the line items are still read, once the lines
 * read so far add up to the bill (`earlyInvoices`). The Clio port below hands the engine its line
 * items in pages of 50, with the two cancelling lines of EARLY-1 moved to a last page of their own, and holds
 * that page until QBO has received EARLY-1's invoice: an engine that read every line item before
 * writing an invoice would wait for it (until the test gives up). The lines read after the
 * invoice was written make the same pass rewrite it, and the books end as they do without
 * early invoices.
 */
describe("invoices are written while the line items are read", () => {
  let early: { pair: EmulatorPair; billId: string };
  let reference: { pair: EmulatorPair; billId: string };

  before(async () => {
    early = await firmWithCancellingLines();
    reference = await firmWithCancellingLines();
  });
  after(async () => {
    await early?.pair.close();
    await reference?.pair.close();
  });

  it("writes an invoice before the last line item is read, and rewrites it when a later line comes", async () => {
    const engine = await createEngine(early.pair.config, silentLogger);
    let invoiceWritten: () => void = () => {};
    const firstWrite = new Promise<void>((resolve) => {
      invoiceWritten = resolve;
    });
    let writesOfTheBill = 0;
    early.pair.qbo.emulator.core.requests.listener = (request: TappedRequest) => {
      if (isWriting(qboRequestLabel(request), "Invoice") && request.body?.includes(`"${NUMBER}"`)) {
        writesOfTheBill++;
        invoiceWritten();
      }
    };
    let heldPageWaitedFor: "write" | "gave up" | undefined;
    const cancelling = (r: Record<string, unknown>) =>
      String((r.bill as { id?: number } | undefined)?.id) === early.billId &&
      String(r.description).startsWith("Extra call");
    const clio = withRepagedStream(engine.deps.clio, "line_item", async function* (lines) {
      const others = lines.filter((r) => !cancelling(r));
      for (let i = 0; i < others.length; i += 50) yield others.slice(i, i + 50);
      heldPageWaitedFor = await writtenOrGaveUp(firstWrite, GIVE_UP_MS);
      yield lines.filter(cancelling);
    });
    const summary = await runSyncPass({ ...engine.deps, clio });
    early.pair.qbo.emulator.core.requests.listener = undefined;
    assert.ok(
      (summary.pulled.line_item ?? 0) > 100,
      `line items in several pages (${summary.pulled.line_item})`,
    );
    assert.equal(heldPageWaitedFor, "write");

    const realm = early.pair.qbo.defaultRealmId;
    const invoices = early.pair.qbo.emulator.exportState({ volatile: false }) as {
      realms: Record<string, { records: Record<string, Array<{ data: Record<string, unknown> }>> }>;
    };
    const written = invoices.realms[realm]!.records.Invoice!.find((r) => r.data.DocNumber === NUMBER)!.data;
    const amounts = (written.Line as Array<{ Amount: number; DetailType: string }>)
      .filter((l) => l.DetailType === "SalesItemLineDetail")
      .map((l) => l.Amount);
    assert.deepEqual(amounts, [250, 30, -30], "the invoice holds the lines read after it was first written");
    assert.equal(writesOfTheBill, 2, "created with the first line, then updated once in the same pass");
    const second = await runSyncPass(engine.deps);
    assert.equal(second.written.sent, 0, "the next pass has nothing left to write");
    await engine.close();

    const plain = await createEngine(reference.pair.config, silentLogger, {
      settings: { earlyInvoices: false },
    });
    await runSyncPass(plain.deps);
    await plain.close();
    const expected = normalizeQboExport(
      reference.pair.qbo.emulator.exportState({ volatile: false }),
      reference.pair.qbo.defaultRealmId,
    );
    const actual = normalizeQboExport(early.pair.qbo.emulator.exportState({ volatile: false }), realm);
    for (const type of Object.keys(expected))
      assert.deepEqual(
        actual[type],
        expected[type],
        `${type} records equal those of a sync without early invoices`,
      );
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  });
});
