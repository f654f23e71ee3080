import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { approvedClioBill } from "../testing/clio-bill.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { qboRequestLabel } from "../testing/qbo-request-label.ts";
import { withRepagedStream, writtenOrGaveUp } from "../testing/repaged-clio.ts";
import { isWriting } from "../testing/sync-process.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

/** Clients added to the small firm, each with one bill. */
const EXTRA_CLIENTS = 220;

/** How long the held page waits for a customer write before the test gives up on it. */
const GIVE_UP_MS = 20_000;

/**
 * Issue 13: QBO, the slower provider, starts writing before the last page of bills is read — as
 * soon as the pages read name 200 clients, a contacts read's worth. The Clio port hands the engine
 * its bills in pages of 10 and holds the last page until QBO has received a customer write: an
 * engine that read every bill before writing would wait for it (until the test gives up), one
 * that writes from the first pages never waits.
 */
describe("writes start at the first page of bills", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;

  before(async () => {
    const firm = generateFirm({ size: "small", seed: 3 });
    pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
    // More clients than one contacts read holds (200): the customers of the first pages are
    // written once 200 clients are gathered, not only after the last page.
    for (let i = 0; i < EXTRA_CLIENTS; i++) {
      const client = (
        await pair.clioAdmin("POST", "/contacts", { type: "Company", name: `First Page Client ${i}` })
      ).data as { id: number };
      await approvedClioBill(pair, { client: String(client.id), number: `FP-${i}`, price: 100 + i });
    }
    engine = await createEngine(pair.config, silentLogger);
  });
  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("writes customers before the last page of bills is read", async () => {
    let customerWritten: () => void = () => {};
    const firstCustomerWrite = new Promise<void>((resolve) => {
      customerWritten = resolve;
    });
    pair.qbo.emulator.core.requests.listener = (request) => {
      if (isWriting(qboRequestLabel(request), "Customer")) customerWritten();
    };
    let heldPageWaitedFor: "write" | "gave up" | undefined;
    const clio = withRepagedStream(engine.deps.clio, "bill", async function* (bills) {
      for (let i = 0; i < bills.length; i += 10) {
        if (i + 10 >= bills.length) heldPageWaitedFor = await writtenOrGaveUp(firstCustomerWrite, GIVE_UP_MS);
        yield bills.slice(i, i + 10);
      }
    });
    const summary = await runSyncPass({ ...engine.deps, clio });
    pair.qbo.emulator.core.requests.listener = undefined;
    assert.ok((summary.pulled.bill ?? 0) > 220, `bills in several pages (${summary.pulled.bill})`);
    assert.equal(heldPageWaitedFor, "write");
    assert.ok(summary.written.succeeded > 0);
  });
});
