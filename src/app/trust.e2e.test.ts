// biome-ignore-all lint/suspicious/noExplicitAny: test rows are read loosely
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { billState } from "../emulators/clio/domain/ledger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runPreflight } from "../engine/preflight.ts";
import { reconcile } from "../engine/reconcile.ts";
import { readTrustAccountMap } from "../engine/setup-trust.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { clioTrustBalances, qboTrust } from "../testing/trust-harness.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, any>;

/**
 * Issue 6's acceptance test: the medium firm's trust history, then one of every trust movement
 * and edits and deletions of each, synced over real HTTP. Expectations come from the Clio
 * emulator's own ledgers, never from the engine's state.
 */
describe("trust sync end to end: medium firm", () => {
  const firm = generateFirm({ size: "medium", seed: 7 });
  let pair: EmulatorPair;
  let engine: EngineHandle;
  let trustAccountId: number;

  const clioState = () => pair.clio.emulator.state;
  const customerOf = async (clientId: string) => (await engine.store.getLink("customer", clientId))?.qboId;

  /**
   * For every client whose movements all synced: QBO liability == Clio trust balance to the cent.
   * A movement waits (with an issue) while one of its clients has no customer — in the medium firm,
   * clients whose name clashes with a QBO vendor; a transfer with such a client waits on both sides.
   */
  const assertInvariant = async () => {
    const st = clioState();
    const clio = clioTrustBalances(st, trustAccountId);
    const qbo = await qboTrust(engine);
    const open = await engine.store.listIssues({ state: "open" });
    const waiting = new Set(open.map((i) => i.key));
    const blocked = new Set<string>();
    let syncedMoney = 0;
    const pairs = truePairs();
    for (const t of st.all("bank_transactions")) {
      if (t.bank_account_id !== trustAccountId) continue;
      const key = pairs.get(t.id) ?? `tx:${t.id}`;
      // A transfer waits under its pair's key, or under a leg's own key while it is not paired.
      if (waiting.has(`journal_entry:${key}`) || waiting.has(`journal_entry:tx:${t.id}`))
        blocked.add(String(t.client_id));
      else syncedMoney += t.amount_cents;
    }
    let checked = 0;
    for (const [client, balance] of clio) {
      const customer = await customerOf(client);
      if (!customer) {
        assert.ok(
          waiting.has(`contact:${client}`),
          `trust client ${client} has no customer and no issue saying why`,
        );
        continue;
      }
      if (blocked.has(client)) continue;
      checked++;
      assert.equal(
        qbo.byCustomer.get(customer) ?? 0,
        balance,
        `client ${client}: QBO liability vs Clio balance`,
      );
    }
    assert.ok(checked > 30, `only ${checked} clients fully synced`);
    assert.ok(blocked.size < 20, `${blocked.size} clients wait`);
    assert.equal(qbo.bankBalance, syncedMoney, "the trust bank balance is the sum of the synced movements");
    assert.equal(qbo.liabilityBalance, syncedMoney);
    for (const je of qbo.entries) {
      let net = 0;
      for (const l of je.Line as Row[]) {
        const d = l.JournalEntryLineDetail;
        assert.equal(d.Entity.Type, "Customer");
        net += (d.PostingType === "Debit" ? 1 : -1) * Math.round(l.Amount * 100);
      }
      assert.equal(net, 0, `journal entry ${je.Id} is balanced`);
    }
    // The engine paired exactly the legs the emulator made together, never two other legs.
    const written = (await engine.store.listLinks("journal_entry")).filter((l) =>
      l.clioId.startsWith("transfer:"),
    );
    const truth = new Set(pairs.values());
    for (const l of written)
      assert.ok(truth.has(l.clioId), `${l.clioId} pairs legs of two different transfers`);
    for (const key of truth) {
      const [from, to] = key.slice("transfer:".length).split("-");
      if (!waiting.has(`journal_entry:tx:${from}`) && !waiting.has(`journal_entry:tx:${to}`))
        assert.ok(
          written.some((l) => l.clioId === key) || waiting.has(`journal_entry:${key}`),
          `${key} is written`,
        );
    }
    return { qbo, syncedMoney, blocked };
  };

  /** Each transfer's legs in the emulator's own state (leg id → `transfer:<out>-<in>`). */
  const truePairs = () => {
    const legs = new Map<number, Array<{ id: number; amount_cents: number }>>();
    for (const t of clioState().all("bank_transactions"))
      if (t.bank_transfer_id !== null)
        legs.set(t.bank_transfer_id, [...(legs.get(t.bank_transfer_id) ?? []), t]);
    const out = new Map<number, string>();
    for (const [, both] of legs) {
      const from = both.find((t) => t.amount_cents < 0)!;
      const to = both.find((t) => t.amount_cents > 0)!;
      out.set(from.id, `transfer:${from.id}-${to.id}`);
      out.set(to.id, `transfer:${from.id}-${to.id}`);
    }
    return out;
  };

  before(async () => {
    pair = await startEmulatorPair({
      clio: { firm, rateLimitPerMinute: 1_000_000 },
      qbo: { seed: firm.qbo, quotas: { enabled: false } },
    });
    engine = await createEngine(pair.config, silentLogger);
    trustAccountId = [...clioState().all("bank_accounts")].find((a) => a.type === "Trust")!.id;
    await runSyncPass(engine.deps);
  });

  after(async () => {
    await engine?.close();
    await pair?.close();
  });

  it("creates the trust bank and liability accounts with the right types, once", async () => {
    const map = await readTrustAccountMap(engine.deps);
    const pairIds = map[String(trustAccountId)];
    assert.ok(pairIds, "the Clio trust account is mapped");
    const bank = await engine.deps.qbo.read("Account", pairIds.bank);
    const liability = await engine.deps.qbo.read("Account", pairIds.liability);
    assert.ok(bank.ok && liability.ok);
    assert.equal((bank.value as Row).AccountType, "Bank");
    assert.equal((bank.value as Row).AccountSubType, "TrustAccounts");
    assert.equal((liability.value as Row).AccountType, "Other Current Liability");
    assert.equal((liability.value as Row).AccountSubType, "TrustAccountsLiabilities");
    const doctor = (await runPreflight(engine.deps)).filter((c) => c.id.startsWith("trust-"));
    assert.equal(doctor.length, 2);
    assert.ok(doctor.every((c) => c.status === "ok"));
    // A trust account changed to the wrong type in QBO is a doctor failure.
    await pair.qboAdmin("PATCH", `/realms/${engine.deps.qbo.realmId}/Account/${pairIds.bank}`, {
      AccountSubType: "Checking",
    });
    const broken = (await runPreflight(engine.deps)).find((c) => c.id === `trust-bank-${trustAccountId}`);
    assert.equal(broken?.status, "fail");
    await pair.qboAdmin("PATCH", `/realms/${engine.deps.qbo.realmId}/Account/${pairIds.bank}`, {
      AccountSubType: "TrustAccounts",
    });
  });

  it("exports the whole trust history: per client liability equals the Clio ledger to the cent", async () => {
    const { qbo, syncedMoney } = await assertInvariant();
    assert.ok(qbo.entries.length > 100, `expected the medium firm's movements, got ${qbo.entries.length}`);
    assert.ok(syncedMoney > 0);
    const notes = qbo.entries.map((e) => String(e.PrivateNote));
    assert.ok(notes.some((n) => n.includes("transfer")));
    assert.ok(notes.some((n) => n.includes("trust request payment")));
    const lines = qbo.entries.flatMap((e) => e.Line as Row[]);
    assert.ok(
      lines.every(
        (l) => /Clio transaction \d+/.test(l.Description) && /matter|no matter/.test(l.Description),
      ),
    );
  });

  it("every movement type, then edits and deletions of each, give the right entries", async () => {
    const st = clioState();
    const linkedClients = new Set((await engine.store.listLinks("customer")).map((l) => l.clioId));
    const { blocked } = await assertInvariant();
    const matters = [...st.all("matters")].filter(
      (m) => linkedClients.has(String(m.client_id)) && !blocked.has(String(m.client_id)),
    );
    const [a, b] = [matters[0]!, matters.find((m) => m.client_id !== matters[0]!.client_id)!];
    const admin = pair.clioAdmin;
    const dep = (
      await admin("POST", "/trust/deposits", {
        matter_id: a.id,
        amount: "5000.55",
        date: "2026-02-01",
        description: "Retainer",
      })
    ).data as Row;
    const wd = (
      await admin("POST", "/trust/withdrawals", {
        matter_id: a.id,
        amount: "100.10",
        date: "2026-02-02",
        description: "Filing fee",
      })
    ).data as Row;
    const tr = (
      await admin("POST", "/trust/transfers", {
        from_matter_id: a.id,
        to_matter_id: b.id,
        amount: "700.00",
        date: "2026-02-03",
      })
    ).data as Row;
    const req = (
      await admin("POST", "/trust_requests", {
        client_id: b.client_id,
        trust_amount: "2500",
        trust_type: "matter",
        issue_date: "2026-02-01",
        due_date: "2026-02-15",
        approved: true,
        matter: [{ id: b.id }],
      })
    ).data as Row;
    await admin("POST", `/trust_requests/${req.id}/pay`, { amount: "1000", date: "2026-02-04" });
    // A revenue bill of client A paid from trust.
    const bill = [...st.all("bills")].find(
      (x) =>
        x.client_id === a.client_id && x.kind !== "trust_kind" && billState(st, x) === "awaiting_payment",
    );
    let billPayment: Row | undefined;
    if (bill) {
      billPayment = (
        await admin("POST", "/payments", {
          source: "trust",
          source_fund_type: "Client",
          allocations: [{ bill_id: bill.id, amount: "1.00" }],
          date: "2026-02-05",
        })
      ).data as Row;
    }
    await runSyncPass(engine.deps);
    await assertInvariant();
    const entries = (await qboTrust(engine)).entries;
    const byNote = (needle: string) => entries.find((e) => String(e.PrivateNote).includes(needle));
    const map = (await readTrustAccountMap(engine.deps))[String(trustAccountId)]!;
    const postings = (e: Row | undefined) =>
      ((e?.Line ?? []) as Row[]).map(
        (l) =>
          `${l.JournalEntryLineDetail.PostingType}:${l.JournalEntryLineDetail.AccountRef.value === map.bank ? "bank" : "liability"}:${l.Amount}`,
      );
    assert.deepEqual(postings(byNote(`transaction ${dep.id};`)), [
      "Debit:bank:5000.55",
      "Credit:liability:5000.55",
    ]);
    assert.deepEqual(postings(byNote(`transaction ${wd.id};`)), [
      "Debit:liability:100.1",
      "Credit:bank:100.1",
    ]);
    const transferNote = `transactions ${tr.legs.from} → ${tr.legs.to};`;
    assert.deepEqual(postings(byNote(transferNote)), ["Debit:liability:700", "Credit:liability:700"]);
    const reqTx = [...st.all("bank_transactions")].find((t) => t.bill_id === Number(req.id))!;
    assert.deepEqual(postings(byNote(`transaction ${reqTx.id};`)), [
      "Debit:bank:1000",
      "Credit:liability:1000",
    ]);
    if (bill) {
      const payTx = [...st.all("bank_transactions")].find(
        (t) => t.payment_id === Number(billPayment!.id) && t.bank_account_id === trustAccountId,
      )!;
      assert.deepEqual(postings(byNote(`transaction ${payTx.id};`)), ["Debit:liability:1", "Credit:bank:1"]);
    }

    // Edits of each, then deletions.
    await admin("PATCH", `/bank_transactions/${dep.id}`, { amount: "4000.00" });
    await admin("PATCH", `/bank_transfers/${tr.id}`, { amount: "650.25" });
    if (billPayment)
      await admin("PATCH", `/payments/${billPayment.id}`, {
        allocations: [{ bill_id: bill!.id, amount: "2.00" }],
      });
    await runSyncPass(engine.deps);
    await assertInvariant();
    const edited = (await qboTrust(engine)).entries;
    assert.equal(edited.length, entries.length, "edits update entries, never add");
    assert.deepEqual(postings(edited.find((e) => String(e.PrivateNote).includes(`transaction ${dep.id};`))), [
      "Debit:bank:4000",
      "Credit:liability:4000",
    ]);

    await admin("DELETE", `/bank_transactions/${wd.id}`);
    await admin("DELETE", `/bank_transfers/${tr.id}`);
    if (billPayment) await admin("POST", `/payments/${billPayment.id}/void`);
    await runSyncPass(engine.deps);
    await assertInvariant();
    const after = (await qboTrust(engine)).entries;
    assert.equal(after.length, entries.length - 2 - (billPayment ? 1 : 0), "deletions remove entries");
    assert.equal(
      after.find((e) => String(e.PrivateNote).includes(transferNote)),
      undefined,
    );
    const report = await reconcile(engine.deps);
    assert.deepEqual(
      report.items.filter(
        (i) => i.area === "trust" && linkedClients.has(i.clientId) && i.reason !== "movement not synced",
      ),
      [],
      "the reconciliation agrees for every synced client",
    );
    const account = report.trustAccounts[0]!;
    assert.equal(account.clioBalance, account.clioClientSum);
  });

  it("drift made in QBO is reported with client, amount and entry, raises an issue, and re-sync repairs it", async () => {
    const links = (await engine.store.listLinks("journal_entry")).filter((l) => l.clioId.startsWith("tx:"));
    const edited = links[0]!;
    const deleted = links[1]!;
    const realm = engine.deps.qbo.realmId;
    const je = await engine.deps.qbo.read("JournalEntry", edited.qboId);
    assert.ok(je.ok);
    const lines = (je.value as Row).Line as Row[];
    const bumped = lines.map((l) => ({ ...l, Amount: Math.round(l.Amount * 100 + 1234) / 100 }));
    await pair.qboAdmin("PATCH", `/realms/${realm}/JournalEntry/${edited.qboId}`, { Line: bumped });
    const del = await engine.deps.qbo.read("JournalEntry", deleted.qboId);
    assert.ok(del.ok);
    const gone = await engine.deps.qbo.batch([
      {
        bId: "d",
        operation: "delete",
        entity: "JournalEntry",
        body: { Id: deleted.qboId, SyncToken: String((del.value as Row).SyncToken) },
      },
    ]);
    assert.ok(gone.ok && gone.value[0]!.ok);

    const report = await reconcile(engine.deps, { raiseIssues: true });
    const trustItems = report.items.filter((i) => i.area === "trust" && i.qboRecord);
    const editedItem = trustItems.find((i) => i.qboRecord === `journal entry ${edited.qboId}`);
    assert.ok(editedItem, "the edited entry is itemised");
    assert.ok(["12.34", "-12.34"].includes(editedItem.difference), editedItem.difference);
    const deletedItem = trustItems.find((i) => i.qboRecord === `journal entry ${deleted.qboId}`);
    assert.ok(deletedItem, "the deleted entry is itemised");
    assert.equal(deletedItem.qbo, "0.00");
    assert.equal(report.ok, false);
    const drift = await engine.store.listIssues({ state: "open", code: "sync_trust_drift" });
    assert.ok(drift.some((i) => i.clioId === editedItem.clientId && i.message.includes(edited.qboId)));
    assert.ok(drift.some((i) => i.clioId === deletedItem.clientId));

    // Re-sync: the edited entry is re-written from Clio on the next pass; the deleted one on request.
    await engine.store.requestRetry({ code: "sync_trust_drift" });
    await runSyncPass(engine.deps);
    await engine.store.requestRetry({ code: "sync_link_broken" });
    await runSyncPass(engine.deps);
    await assertInvariant();
    const again = await reconcile(engine.deps, { raiseIssues: true });
    assert.deepEqual(
      again.items.filter((i) => i.area === "trust" && i.qboRecord),
      [],
      "no trust drift is left",
    );
    assert.equal((await engine.store.listIssues({ state: "open", code: "sync_trust_drift" })).length, 0);
  });
});
