import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Cents } from "../../core/money.ts";
import { toOpeningJournalEntry } from "../../mapping/trust-opening.ts";
import { linkFixture as link } from "../../testing/store-fixtures.ts";
import { contentHash } from "../hash.ts";
import type { TrustAccountMap } from "../setup-trust.ts";
import { type OpeningPlan, type OpeningToPlan, planOpeningBalances } from "./trust-opening.ts";

/** The opening-balance planner as a table: a client's balance before the cut-over → the plan. */

const ACCOUNTS: TrustAccountMap = { "40": { name: "IOLTA", bank: "35", liability: "36" } };

const opening = (over: Partial<OpeningToPlan> = {}): OpeningToPlan => ({
  account: "40",
  accountName: "IOLTA",
  client: "1001",
  clientName: "Jane Doe",
  amount: 125_000 as Cents,
  date: "2026-01-01",
  link: undefined,
  customer: link("customer", "1001", "58"),
  sources: ["10", "11"],
  ...over,
});

const plan = (o: OpeningToPlan, extra: { accounts?: TrustAccountMap; bookCloseDate?: string } = {}) =>
  planOpeningBalances({
    realmId: "9130",
    accounts: extra.accounts ?? ACCOUNTS,
    equityAccountId: "3",
    openIssues: new Map(),
    openings: [o],
    ...(extra.bookCloseDate ? { bookCloseDate: extra.bookCloseDate } : {}),
  });

const summary = (p: OpeningPlan) => [
  ...p.operations.map((o) => `qbo ${o.action} ${o.clioId}`),
  ...p.issues.map((i) => `item ${i.code}`),
  ...[...p.pending].map((k) => `pending ${k}`),
  ...p.closed.map((n) => `closed ${n}`),
  ...p.clean.map((id) => `clean ${id}`),
];

const written = () => {
  const body = toOpeningJournalEntry(opening(), {
    bank: "35",
    liability: "36",
    equity: "3",
    customerId: "58",
  });
  return { ...link("journal_entry", "opening:40-1001", "900"), contentHash: contentHash(body.value) };
};

describe("opening balance planner", () => {
  const cases: Array<{
    name: string;
    input: OpeningToPlan;
    extra?: Parameters<typeof plan>[1];
    expected: string[];
  }> = [
    {
      name: "a client's balance becomes one entry, cleaning its movements once written",
      input: opening(),
      expected: ["qbo create opening:40-1001"],
    },
    {
      name: "written before, unchanged: nothing is sent again",
      input: opening({ link: written() }),
      expected: ["clean 10", "clean 11"],
    },
    {
      name: "Clio's history before the cut-over changed: the entry is updated",
      input: opening({ link: written(), amount: 100_000 as Cents }),
      expected: ["qbo update opening:40-1001"],
    },
    {
      name: "a zero balance posts nothing",
      input: opening({ amount: 0 as Cents }),
      expected: ["clean 10", "clean 11"],
    },
    {
      name: "a balance that became zero deletes the entry",
      input: opening({ amount: 0 as Cents, link: written() }),
      expected: ["qbo delete opening:40-1001"],
    },
    {
      name: "no customer yet: it waits, and its movements stay dirty",
      input: opening({ customer: undefined }),
      expected: ["item sync_customer_not_synced", "pending 40-1001"],
    },
    {
      name: "an account mapped by qboTrustAccounts holds the history: nothing is posted",
      input: opening(),
      extra: { accounts: { "40": { ...ACCOUNTS["40"]!, mapped: true } } },
      expected: ["clean 10", "clean 11"],
    },
    {
      name: "dated in QBO's closed books: named in the closed-books item, pending",
      input: opening(),
      extra: { bookCloseDate: "2026-01-31" },
      expected: ["pending 40-1001", "closed Trust opening balance of Jane Doe (IOLTA)"],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(plan(c.input, c.extra)), c.expected));

  it("posts each trust account against Opening Balance Equity, reversed for an overdrawn ledger", () => {
    const lines = (amount: number) =>
      (
        toOpeningJournalEntry(opening({ amount: amount as Cents }), {
          bank: "35",
          liability: "36",
          equity: "3",
          customerId: "58",
        }).value!.Line as Array<{
          Amount: number;
          JournalEntryLineDetail: { PostingType: string; AccountRef: { value: string } };
        }>
      ).map(
        (l) =>
          `${l.JournalEntryLineDetail.PostingType} ${l.JournalEntryLineDetail.AccountRef.value} ${l.Amount}`,
      );
    assert.deepEqual(lines(125_000), ["Debit 35 1250", "Credit 3 1250", "Debit 3 1250", "Credit 36 1250"]);
    assert.deepEqual(lines(-2_050), ["Credit 35 20.5", "Debit 3 20.5", "Credit 3 20.5", "Debit 36 20.5"]);
  });
});
