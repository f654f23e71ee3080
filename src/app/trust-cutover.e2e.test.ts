/**
 * Issue 14, trust cut-over end to end. Clio holds a firm's trust history of 2025 (Jane: 1,000.00
 * and 250.00 in; Acme: 300.00 in, 120.00 out) and a deposit of 2026 (Jane: 400.00);
 * `trustStartDate` is 2026-01-01.
 * - In a company without trust history, lexbridge posts each client's balance before the cut-over
 *   as one opening entry (Opening Balance Equity), then the 2026 deposit; exactly once.
 * - In a company that already holds the history in its own trust accounts, mapped by
 *   `qboTrustAccounts`, nothing of 2025 is posted, and only if its balance agrees with Clio's.
 * - Without `trustStartDate`, the movements in the closed books are one item, not 6210 failures.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import { newPassContext } from "../engine/pass-context.ts";
import { planTrust } from "../engine/plan-trust.ts";
import { runPreflight } from "../engine/preflight.ts";
import { pullClioStream } from "../engine/pull-clio.ts";
import { reconcile } from "../engine/reconcile.ts";
import { readCompanyTax } from "../engine/setup-tax.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { qboTrust } from "../testing/trust-harness.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;

async function firmWithHistory() {
  const pair = await startEmulatorPair();
  const ids = await buildHandFirm(pair);
  const matter = async (client: number) =>
    Number(
      ((await pair.clioAdmin("POST", "/matters", { client_id: client, description: "Trust" })).data as Row)
        .id,
    );
  const jane = await matter(ids.jane!);
  const acme = await matter(ids.acme!);
  for (const [m, date, amount] of [
    [jane, "2025-11-10", "1000"],
    [jane, "2025-12-20", "250"],
    [acme, "2025-06-01", "300"],
    [jane, "2026-03-02", "400"],
  ] as const)
    await pair.clioAdmin("POST", "/trust/deposits", { matter_id: m, amount, date });
  await pair.clioAdmin("POST", "/trust/withdrawals", { matter_id: acme, amount: "120", date: "2025-09-15" });
  return { pair, ids };
}

const closeBooks = (pair: EmulatorPair) =>
  pair.qboAdmin("POST", `/realms/${pair.qbo.defaultRealmId}/close-books`, { date: "2025-12-31" });

async function engineFor(pair: EmulatorPair, flags: Record<string, string> = {}) {
  return createEngine(loadConfig({ flags: { ...pair.config, ...flags } }), silentLogger);
}

/** Jane's QBO customer (she exists in QBO before the first sync, and links to her Clio contact). */
async function janeCustomer(engine: EngineHandle): Promise<string> {
  const page = await engine.deps.qbo.query<"Customer">(
    qboQuery("Customer").where("DisplayName", "=", "Doe, Jane"),
  );
  assert.ok(page.ok);
  return String(page.value.items[0]!.Id);
}

/** The firm's own trust accounts in QBO, holding Jane's 2025 history as journal entries. */
async function qboWithHistory(engine: EngineHandle, amounts: number[]) {
  const account = async (Name: string, AccountType: string, AccountSubType: string) => {
    const made = await engine.deps.qbo.create(
      "Account",
      { Name, AccountType, AccountSubType },
      { requestId: `test-${Name}` },
    );
    assert.ok(made.ok);
    return String(made.value.Id);
  };
  const bank = await account("Client Trust", "Bank", "TrustAccounts");
  const liability = await account(
    "Client Trust Liability",
    "Other Current Liability",
    "TrustAccountsLiabilities",
  );
  const customer = await janeCustomer(engine);
  for (const [i, amount] of amounts.entries())
    await postHistory(engine, { bank, liability, customer, amount, date: `2025-1${i}-10` });
  return { bank, liability, customer };
}

async function postHistory(
  engine: EngineHandle,
  h: { bank: string; liability: string; customer: string; amount: number; date: string },
) {
  const line = (PostingType: string, account: string) => ({
    Amount: h.amount,
    DetailType: "JournalEntryLineDetail",
    JournalEntryLineDetail: {
      PostingType,
      AccountRef: { value: account },
      Entity: { Type: "Customer", EntityRef: { value: h.customer } },
    },
  });
  const made = await engine.deps.qbo.create(
    "JournalEntry",
    { TxnDate: h.date, Line: [line("Debit", h.bank), line("Credit", h.liability)] },
    { requestId: `test-history-${h.customer}-${h.date}` },
  );
  assert.ok(made.ok, JSON.stringify(made));
}

const lexbridgeEntries = (entries: Row[]) =>
  entries
    .filter((e) => String(e.PrivateNote ?? "").startsWith("Clio"))
    .map((e) => [e.TxnDate, e.TotalAmt])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));

describe("trust cut-over", () => {
  const open: Array<{ pair: EmulatorPair; engines: EngineHandle[] }> = [];
  after(async () => {
    for (const { pair, engines } of open) {
      for (const e of engines) await e.close();
      await pair.close();
    }
  });

  it("posts one opening balance per client at trustStartDate, then only the movements after it, once", async () => {
    const { pair, ids } = await firmWithHistory();
    await closeBooks(pair); // the opening entries are dated on the cut-over, after the closed books
    const engine = await engineFor(pair, { trustStartDate: "2026-01-01" });
    open.push({ pair, engines: [engine] });
    const doctor = (await runPreflight(engine.deps)).find((c) => c.id.startsWith("trust-cutover-"));
    assert.equal(doctor?.status, "ok");
    assert.match(doctor?.summary ?? "", /posts each client's balance before 2026-01-01 \(1430\.00 in all\)/);
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.failed, 0);
    assert.deepEqual(await engine.store.listIssues({ state: "open" }), []);
    const qbo = await qboTrust(engine);
    // Jane 1,250.00 and Acme 180.00 before 2026 (each entry's TotalAmt is its debits: twice the
    // balance, which goes in and out of Opening Balance Equity), then Jane's deposit of 2026.
    assert.deepEqual(lexbridgeEntries(qbo.entries), [
      ["2026-01-01", 360],
      ["2026-01-01", 2500],
      ["2026-03-02", 400],
    ]);
    const opening = qbo.entries.find((e) => e.TotalAmt === 2500)!;
    assert.deepEqual(
      (opening.Line as Row[]).map((l) => {
        const d = l.JournalEntryLineDetail as Row;
        return [d.PostingType, (d.AccountRef as Row).value, l.Amount];
      }),
      [
        ["Debit", (await trustPair(engine)).bank, 1250],
        ["Credit", await equityAccount(engine), 1250],
        ["Debit", await equityAccount(engine), 1250],
        ["Credit", (await trustPair(engine)).liability, 1250],
      ],
    );
    assert.equal(qbo.liabilityBalance, 183_000);
    assert.equal(qbo.bankBalance, 183_000);
    assert.equal(
      await balanceOf(engine, await equityAccount(engine)),
      0,
      "Opening Balance Equity nets to zero",
    );

    const report = await reconcile(engine.deps);
    assert.deepEqual(report.items, []);
    const trustOf = (client: number) => report.clients.find((c) => c.clientId === String(client))?.trust;
    assert.deepEqual(trustOf(ids.jane!), { clio: "1650.00", qbo: "1650.00", difference: "0.00" });
    assert.deepEqual(trustOf(ids.acme!), { clio: "180.00", qbo: "180.00", difference: "0.00" });

    // Exactly once: the next pass (a new process, the same store) writes nothing.
    const again = await runSyncPass(engine.deps);
    assert.equal(again.written.sent, 0);
    assert.equal((await qboTrust(engine)).entries.length, 3);

    // Someone edits Jane's opening entry in QuickBooks: the next pass writes Clio's balance back.
    const edited = (opening.Line as Row[]).map((l) => ({ ...l, Amount: 1000 }));
    await pair.qboAdmin("PATCH", `/realms/${engine.deps.qbo.realmId}/JournalEntry/${opening.Id}`, {
      Line: edited,
    });
    const repair = await runSyncPass(engine.deps);
    assert.equal(repair.written.failed, 0);
    const back = await engine.deps.qbo.read("JournalEntry", String(opening.Id));
    assert.ok(back.ok);
    assert.equal(back.value.TotalAmt, 2500);
    assert.deepEqual((await reconcile(engine.deps)).items, []);
  });

  it("reuses a mapped QBO trust account that already holds the history, posting no opening balance", async () => {
    const { pair, ids } = await firmWithHistory();
    const seed = await engineFor(pair);
    open.push({ pair, engines: [] });
    const accounts = await qboWithHistory(seed, [1000, 250]).finally(() => seed.close());
    const engine = await engineFor(pair, {
      trustStartDate: "2026-01-01",
      qboTrustAccounts: "Trust Account=Client Trust|Client Trust Liability",
    });
    open.at(-1)!.engines.push(engine);
    const doctor = (await runPreflight(engine.deps)).find((c) => c.id.startsWith("trust-cutover-"));
    assert.equal(doctor?.status, "warn");
    assert.match(
      doctor?.summary ?? "",
      /"Client Trust Liability" holds 1250\.00 in journal entries dated before 2026-01-01; Clio trust account "Trust Account" holds 1430\.00 then, which differ/,
    );
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.failed, 0);
    // Acme's 180.00 before 2026 is not in QuickBooks' history: the account is not used.
    let issues = await engine.store.listIssues({ state: "open" });
    assert.deepEqual(
      issues.map((i) => i.code),
      ["sync_trust_opening_mismatch"],
    );
    assert.match(
      issues[0]!.message,
      /holds 1250\.00 in journal entries dated before 2026-01-01; Clio trust account "Trust Account" holds 1430\.00 then \(difference -180\.00\)\. By client: client \d+: Clio 180\.00, QuickBooks 0\.00\./,
    );
    assert.deepEqual(
      lexbridgeEntries((await qboTrust(engine)).entries),
      [],
      "nothing is posted while they differ",
    );

    // The bookkeeper enters Acme's history in QuickBooks too; the next pass agrees and posts 2026 only.
    const acme = await engine.store.getLink("customer", String(ids.acme));
    assert.ok(acme, "Acme's customer was created by the first pass");
    await postHistory(engine, { ...accounts, customer: acme.qboId, amount: 180, date: "2025-09-15" });
    const next = await runSyncPass(engine.deps);
    assert.equal(next.written.failed, 0);
    issues = await engine.store.listIssues({ state: "open" });
    assert.deepEqual(issues, []);
    const qbo = await qboTrust(engine);
    assert.deepEqual(lexbridgeEntries(qbo.entries), [["2026-03-02", 400]]);
    assert.equal((await trustPair(engine)).liability, accounts.liability);
    assert.equal(qbo.liabilityBalance, 183_000);
    const report = await reconcile(engine.deps);
    assert.deepEqual(report.items, []);
    assert.ok(report.clients.every((c) => c.trust.difference === "0.00"));
  });

  it("without it, the movements in the closed books are one item and nothing fails with 6210", async () => {
    const { pair } = await firmWithHistory();
    await closeBooks(pair);
    const engine = await engineFor(pair);
    open.push({ pair, engines: [engine] });
    const doctor = (await runPreflight(engine.deps)).find((c) => c.id === "closed-books-trust");
    assert.equal(doctor?.status, "warn");
    assert.match(doctor?.summary ?? "", /^4 Clio trust movements are dated on or before 2025-12-31/);
    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.failed, 0);
    const issues = await engine.store.listIssues({ state: "open" });
    assert.deepEqual(
      issues.map((i) => i.code),
      ["sync_trust_before_closed_books"],
    );
    assert.match(issues[0]!.message, /^4 Clio trust movements are dated on or before 2025-12-31/);
    const qbo = await qboTrust(engine);
    assert.deepEqual(
      qbo.entries.map((e) => e.TxnDate),
      ["2026-03-02"],
    );
    // Setting the cut-over afterwards clears the item on the next pass.
    const later = await engineFor(pair, { trustStartDate: "2026-01-01" });
    open.at(-1)!.engines.push(later);
    await runSyncPass(later.deps);
    assert.deepEqual(await later.store.listIssues({ state: "open" }), []);
  });

  it("planned in chunks, the movements in the closed books of every chunk are named in the one item", async () => {
    const { pair } = await firmWithHistory();
    await closeBooks(pair);
    const engine = await engineFor(pair);
    open.push({ pair, engines: [engine] });
    await pullClioStream(engine.deps, "bank_transaction");
    const ctx = newPassContext("run-chunks");
    ctx.tax = await readCompanyTax(engine.deps);
    let chunks = 0;
    for await (const ops of planTrust(engine.deps, ctx, 1)) {
      chunks++;
      assert.deepEqual(
        ops,
        [],
        "every movement waits: four in the closed books, Jane's 2026 one for her customer",
      );
    }
    assert.equal(chunks, 1 + 5, "the opening balances' chunk, then one per movement");
    const issues = await engine.store.listIssues({ state: "open" });
    const closed = issues.filter((i) => i.code === "sync_trust_before_closed_books");
    assert.equal(closed.length, 1);
    assert.match(closed[0]!.message, /^4 Clio trust movements are dated on or before 2025-12-31/);
  });
});

async function trustPair(engine: EngineHandle) {
  const { readTrustAccountMap } = await import("../engine/setup-trust.ts");
  return Object.values(await readTrustAccountMap(engine.deps))[0]!;
}

async function equityAccount(engine: EngineHandle): Promise<string> {
  const page = await engine.deps.qbo.query<"Account">(
    qboQuery("Account").where("Name", "=", "Opening Balance Equity"),
  );
  assert.ok(page.ok);
  return String(page.value.items[0]!.Id);
}

async function balanceOf(engine: EngineHandle, id: string): Promise<number> {
  const r = await engine.deps.qbo.read("Account", id);
  assert.ok(r.ok);
  return Number((r.value as Row).CurrentBalance ?? 0);
}
