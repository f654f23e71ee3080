import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioTrustTransactionView } from "../../mapping/trust-journal.ts";
import { linkFixture as link } from "../../testing/store-fixtures.ts";
import type { TrustAccountMap } from "../setup-trust.ts";
import { type InactiveRefs, inactiveRefsOf } from "./inactive-refs.ts";
import { closedBooksIssue, type MovementToPlan, planTrustChanges, type TrustPlan } from "./trust.ts";

/** The trust planner as a table: movement keys and what was read for them → the plan. */

const tx = (over: Partial<ClioTrustTransactionView> = {}): ClioTrustTransactionView => ({
  id: 10,
  date: "2026-01-05",
  funds_in: 500,
  funds_out: 0,
  source: "Manual",
  client: { id: 1001 },
  matter: { id: 5, display_number: "00005-Doe" },
  bank_account: { id: 40 },
  ...over,
});
const linked = new Map([["1001", link("customer", "1001", "58")]]);

function movement(over: Partial<MovementToPlan> = {}): MovementToPlan {
  return {
    key: "tx:10",
    state: { kind: "movement", movement: { kind: "single", tx: tx() } },
    link: undefined,
    forcedSalt: undefined,
    customers: linked,
    sources: ["10"],
    ...over,
  };
}

const plan = (
  movements: MovementToPlan[],
  accounts: TrustAccountMap = { "40": { name: "Trust", bank: "35", liability: "36" } },
  inactive?: InactiveRefs,
): TrustPlan => planTrustChanges({ realmId: "9130", accounts, inactive, openIssues: new Map(), movements });
const summary = (p: TrustPlan) => [
  ...p.operations.map((o) => `qbo ${o.action}`),
  ...p.issues.map((i) => `item ${i.code}${i.blockedBy ? ` waits for ${i.blockedBy}` : ""}`),
  ...p.clean.map((id) => `clean ${id}`),
  ...(p.closed.length > 0 ? [`closed books ${p.closed.join(", ")}`] : []),
];

describe("trust planner", () => {
  const cases: Array<{
    name: string;
    movements: MovementToPlan[];
    accounts?: TrustAccountMap;
    expected: string[];
  }> = [
    { name: "a deposit becomes a journal entry", movements: [movement()], expected: ["qbo create"] },
    {
      name: "a movement gone from Clio deletes its journal entry",
      movements: [movement({ state: { kind: "gone" }, link: link("journal_entry", "tx:10", "700") })],
      expected: ["qbo delete"],
    },
    {
      name: "a movement gone before it was ever written needs nothing",
      movements: [movement({ state: { kind: "gone" } })],
      expected: ["clean 10"],
    },
    {
      name: "a transfer leg without a partner waits with an item",
      movements: [
        movement({ state: { kind: "waiting", tx: tx({ funds_in: 0, funds_out: 200 }), candidates: [] } }),
      ],
      expected: ["item sync_trust_transfer_unpaired"],
    },
    {
      name: "a transfer leg with several possible partners waits, never guesses",
      movements: [movement({ state: { kind: "waiting", tx: tx(), candidates: ["11", "12"] } })],
      expected: ["item sync_trust_transfer_ambiguous"],
    },
    {
      name: "a movement of a client with no customer yet waits",
      movements: [movement({ customers: new Map([["1001", undefined]]) })],
      expected: ["item sync_customer_not_synced waits for contact:1001"],
    },
    {
      name: "a movement in a trust account with no QBO accounts waits",
      movements: [movement()],
      accounts: {},
      expected: ["item sync_trust_account_missing"],
    },
    {
      name: "a broken link is re-created only when the client's trust drift is re-synced",
      movements: [movement({ link: link("journal_entry", "tx:10", "700", { state: "broken" }) })],
      expected: ["clean 10"],
    },
    {
      name: "a paired transfer between two clients is one journal entry",
      movements: [
        movement({
          key: "transfer:10-11",
          state: {
            kind: "movement",
            movement: {
              kind: "transfer",
              from: tx({ id: 10, funds_in: 0, funds_out: 200 }),
              to: tx({ id: 11, funds_in: 200, client: { id: 1002 }, matter: { id: 6 } }),
            },
          },
          customers: new Map([...linked, ["1002", link("customer", "1002", "59")]]),
          sources: ["10", "11"],
        }),
      ],
      expected: ["qbo create"],
    },
  ];
  for (const c of cases)
    it(c.name, () => assert.deepEqual(summary(plan(c.movements, c.accounts)), c.expected));

  it("an unchanged entry writes nothing, unless a re-sync forces it", () => {
    const hash = plan([movement()]).operations[0]!.payload.contentHash;
    const same = link("journal_entry", "tx:10", "700", { contentHash: hash });
    assert.deepEqual(summary(plan([movement({ link: same })])), ["clean 10"]);
    assert.deepEqual(summary(plan([movement({ link: same, forcedSalt: "r1" })])), ["qbo update"]);
  });

  it("the entry is balanced and names the client's customer on its lines", () => {
    const op = plan([movement()]).operations[0]!;
    const lines = (
      op.payload.body as {
        Line: Array<{
          Amount: number;
          JournalEntryLineDetail: { PostingType: string; Entity?: { EntityRef: { value: string } } };
        }>;
      }
    ).Line;
    const sum = (type: string) =>
      lines.filter((l) => l.JournalEntryLineDetail.PostingType === type).reduce((n, l) => n + l.Amount, 0);
    assert.equal(sum("Debit"), sum("Credit"));
    assert.ok(lines.some((l) => l.JournalEntryLineDetail.Entity?.EntityRef.value === "58"));
    assert.deepEqual(op.payload.sources, [{ kind: "bank_transaction", id: "10" }]);
  });

  it("a movement waits while its trust bank or liability account is inactive in QBO", () => {
    for (const id of ["35", "36"]) {
      const p = plan([movement()], undefined, inactiveRefsOf([{ entity: "Account", id, name: "Trust" }]));
      assert.deepEqual(
        summary(p),
        [`item sync_reference_inactive waits for qbo_account:${id}`],
        `account ${id}`,
      );
      assert.match(p.issues[0]!.message, new RegExp(`qbo_account:${id}`));
    }
    const item = inactiveRefsOf([{ entity: "Item", id: "35", name: "Not an account" }]);
    assert.deepEqual(summary(plan([movement()], undefined, item)), ["qbo create"]);
  });
});

describe("trust cut-over and closed books", () => {
  const dated = (id: number, date: string) =>
    movement({
      key: `tx:${id}`,
      state: { kind: "movement", movement: { kind: "single", tx: tx({ id, date }) } },
      sources: [String(id)],
    });
  const run = (movements: MovementToPlan[], dates: { trustStartDate?: string; bookCloseDate?: string }) =>
    planTrustChanges({
      realmId: "9130",
      accounts: { "40": { name: "Trust", bank: "35", liability: "36" } },
      openIssues: new Map(),
      movements,
      ...dates,
    });
  const cases: Array<{
    name: string;
    dates: { trustStartDate?: string; bookCloseDate?: string };
    expected: string[];
  }> = [
    {
      name: "no dates: every movement is posted",
      dates: {},
      expected: ["qbo create", "qbo create", "qbo create"],
    },
    {
      name: "movements before trustStartDate are not posted (QBO holds them), the day itself is",
      dates: { trustStartDate: "2026-01-05" },
      expected: ["qbo create", "qbo create", "clean 1"],
    },
    {
      name: "movements on or before the closed-books date: named for the one item, they stay to be planned again",
      dates: { bookCloseDate: "2026-01-05" },
      expected: ["qbo create", "closed books Trust deposit 1, Trust deposit 2"],
    },
    {
      name: "a cut-over after the closed-books date leaves nothing in the closed period",
      dates: { trustStartDate: "2026-01-06", bookCloseDate: "2026-01-05" },
      expected: ["qbo create", "clean 1", "clean 2"],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const p = run([dated(1, "2025-12-31"), dated(2, "2026-01-05"), dated(3, "2026-02-01")], c.dates);
      assert.deepEqual(summary(p), c.expected);
    });

  it("the closed-books item names the movements and the date", () => {
    const p = run([dated(1, "2025-12-31"), dated(2, "2026-01-05")], { bookCloseDate: "2026-01-05" });
    assert.deepEqual(p.issues, []);
    assert.equal(
      closedBooksIssue(p.closed, "2026-01-05").message,
      "2 Clio trust movements are dated on or before 2026-01-05, when the QuickBooks books are closed, so none was posted: Trust deposit 1, Trust deposit 2",
    );
  });
});
