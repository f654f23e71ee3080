import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import type { ClioPort } from "../engine/ports.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { clioTrustBalances, qboTrust } from "../testing/trust-harness.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;
interface Transfer {
  id: number;
  legs: { from: number; to: number };
}

/**
 * Transfers whose legs are paired from the fields real Clio returns (docs/trust.md): a transfer is
 * one entry keyed by its legs, a leg read before its partner waits, and look-alikes wait until
 * something tells them apart. The emulator's admin answer names the true legs to compare with.
 */
describe("trust transfers paired from their legs, end to end", () => {
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let ids: Record<string, number>;
  const matters: Record<string, number> = {};

  const open = async (key: string) =>
    (await engine.store.listIssues({ state: "open" })).find((i) => i.key === `journal_entry:${key}`);
  const linkOf = (key: string) => engine.store.getLink("journal_entry", key);
  const transfer = async (from: string, to: string, amount: string, date: string) =>
    (
      await pair.clioAdmin("POST", "/trust/transfers", {
        from_matter_id: matters[from],
        to_matter_id: matters[to],
        amount,
        date,
        description: "Matter transfer",
      })
    ).data as Transfer;
  /** The Clio port, with some bank transactions not listed (as if not read yet). */
  const hiding = (clio: ClioPort, hidden: Set<string>): ClioPort => ({
    list: async function* (kind, since) {
      for await (const page of clio.list(kind, since)) {
        yield kind === "bank_transaction"
          ? { ...page, records: page.records.filter((r) => !hidden.has(String(r.id))) }
          : page;
      }
    },
    listIds: (kind) => clio.listIds(kind),
    listOfClient: (kind, client) => clio.listOfClient(kind, client),
    allocationIdsOfBill: (bill) => clio.allocationIdsOfBill(bill),
    contactsByIds: (list) => clio.contactsByIds(list),
    byIds: (kind, list) => clio.byIds(kind, list),
    listOfBill: (kind, bill) => clio.listOfBill(kind, bill),
    allocationsOfParent: (parent) => clio.allocationsOfParent(parent),
    updateContact: (id, body) => clio.updateContact(id, body),
    webUrl: (kind, id) => clio.webUrl(kind, id),
  });

  before(async () => {
    pair = await startEmulatorPair();
    ids = await buildHandFirm(pair);
    const matter = async (name: string, client: string) => {
      const made = await pair.clioAdmin("POST", "/matters", { client_id: ids[client], description: name });
      matters[name] = Number((made.data as Row).id);
    };
    await matter("a", "jane");
    await matter("b", "acme");
    await matter("c", "jane");
    await matter("d", "acme");
    for (const m of ["a", "c"])
      await pair.clioAdmin("POST", "/trust/deposits", {
        matter_id: matters[m],
        amount: "10000",
        date: "2026-03-01",
      });
    engine = await createEngine(pair.config, silentLogger);
    await runSyncPass(engine.deps);
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("writes a transfer as one entry keyed by its legs, from one client's liability to the other's", async () => {
    const t = await transfer("a", "b", "300.00", "2026-03-05");
    await runSyncPass(engine.deps);
    const link = await linkOf(`transfer:${t.legs.from}-${t.legs.to}`);
    assert.equal(link?.state, "linked");
    assert.equal(await linkOf(`tx:${t.legs.from}`), undefined, "the legs have no entries of their own");
    const je = await engine.deps.qbo.read("JournalEntry", link.qboId);
    assert.ok(je.ok);
    const customer = async (client: number) =>
      (await engine.store.getLink("customer", String(client)))?.qboId;
    const lines = ((je.value as Row).Line as Row[]).map((l) => {
      const d = l.JournalEntryLineDetail as Record<string, Record<string, Record<string, string>>>;
      return [d.PostingType, d.Entity!.EntityRef!.value, l.Amount];
    });
    assert.deepEqual(lines, [
      ["Debit", await customer(ids.jane!), 300],
      ["Credit", await customer(ids.acme!), 300],
    ]);
  });

  it("lets a leg read before its partner wait on Sync Status, then pairs it and closes the item", async () => {
    const t = await transfer("a", "b", "125.50", "2026-03-06");
    await runSyncPass({ ...engine.deps, clio: hiding(engine.deps.clio, new Set([String(t.legs.to)])) });
    const waiting = await open(`tx:${t.legs.from}`);
    assert.equal(waiting?.code, "sync_trust_transfer_unpaired");
    assert.match(
      waiting.message,
      /\(125\.50 out of matter .* on 2026-03-06\) is one leg of a trust transfer/,
    );
    assert.equal(await linkOf(`tx:${t.legs.from}`), undefined, "half a transfer is never posted");

    await runSyncPass(engine.deps); // the overlap window reads the other leg now
    assert.equal((await linkOf(`transfer:${t.legs.from}-${t.legs.to}`))?.state, "linked");
    assert.equal(await open(`tx:${t.legs.from}`), undefined, "the item is resolved once paired");
  });

  it("never guesses between look-alike legs; once every leg is read, each pairs with its own", async () => {
    // Three transfers alike in account, date, amount and description; of the first only the leg
    // out is read, of the others only the legs in: two candidates, nothing tells them apart.
    const made = [
      await transfer("a", "b", "77.00", "2026-03-07"),
      await transfer("c", "d", "77.00", "2026-03-07"),
      await transfer("c", "b", "77.00", "2026-03-07"),
    ];
    const [one, two, three] = made as [Transfer, Transfer, Transfer];
    const hidden = new Set([one.legs.to, two.legs.from, three.legs.from].map(String));
    await runSyncPass({ ...engine.deps, clio: hiding(engine.deps.clio, hidden) });
    const item = await open(`tx:${one.legs.from}`);
    assert.equal(item?.code, "sync_trust_transfer_ambiguous");
    assert.deepEqual(item.details, { candidates: [String(two.legs.to), String(three.legs.to)] });
    assert.match(
      item.message,
      new RegExp(`transactions ${two.legs.to}, ${three.legs.to} could each be its other leg`),
    );
    for (const leg of [two.legs.to, three.legs.to]) assert.ok(await open(`tx:${leg}`), `leg ${leg} waits`);
    assert.deepEqual(
      (await engine.store.listLinks("journal_entry")).filter((l) => l.clioId.includes(String(one.legs.from))),
      [],
    );

    await runSyncPass(engine.deps);
    for (const t of made)
      assert.equal((await linkOf(`transfer:${t.legs.from}-${t.legs.to}`))?.state, "linked");
    for (const t of made) {
      assert.equal(await open(`tx:${t.legs.from}`), undefined);
      assert.equal(await open(`tx:${t.legs.to}`), undefined);
    }

    // Each client's QBO trust liability is its Clio ledger, to the cent.
    const st = pair.clio.emulator.state;
    const trust = [...st.all("bank_accounts")].find((a) => a.type === "Trust")!;
    const qbo = await qboTrust(engine);
    for (const [client, balance] of clioTrustBalances(st, trust.id)) {
      const customer = (await engine.store.getLink("customer", client))?.qboId;
      assert.equal(qbo.byCustomer.get(customer!) ?? 0, balance, `client ${client}`);
    }
  });
});
