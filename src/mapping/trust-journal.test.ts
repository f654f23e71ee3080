// biome-ignore-all lint/suspicious/noExplicitAny: test rows are read loosely
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type ClioTrustTransactionView,
  liabilityByCustomer,
  movementType,
  type TrustMovement,
  toTrustJournalEntry,
} from "./trust-journal.ts";

const ctx = {
  bankAccountId: "B",
  liabilityAccountId: "L",
  customerIdByClient: new Map([
    ["1", "c1"],
    ["2", "c2"],
  ]),
};

const tx = (over: Partial<ClioTrustTransactionView>): ClioTrustTransactionView => ({
  id: 10,
  date: "2026-01-05",
  funds_in: 0,
  funds_out: 0,
  source: "Manual",
  client: { id: 1 },
  matter: { id: 5, display_number: "00005-Doe" },
  ...over,
});

type Posting = [string, string, string, number];
const postings = (je: Record<string, unknown> | undefined): Posting[] =>
  ((je?.Line ?? []) as Array<Record<string, any>>).map((l) => [
    l.JournalEntryLineDetail.PostingType,
    l.JournalEntryLineDetail.AccountRef.value,
    l.JournalEntryLineDetail.Entity.EntityRef.value,
    l.Amount,
  ]);

describe("toTrustJournalEntry: the table of PRODUCT.md §1.5", () => {
  const cases: Array<{ name: string; m: TrustMovement; type: string; lines: Posting[] }> = [
    {
      name: "manual addition",
      m: { kind: "single", tx: tx({ funds_in: "1500.10" }) },
      type: "deposit",
      lines: [
        ["Debit", "B", "c1", 1500.1],
        ["Credit", "L", "c1", 1500.1],
      ],
    },
    {
      name: "payment of a trust request",
      m: { kind: "single", tx: tx({ funds_in: 250, source: "TrustRequest", bill: { id: 7, number: "77" } }) },
      type: "trust_request",
      lines: [
        ["Debit", "B", "c1", 250],
        ["Credit", "L", "c1", 250],
      ],
    },
    {
      name: "manual subtraction",
      m: { kind: "single", tx: tx({ funds_out: "0.30" }) },
      type: "withdrawal",
      lines: [
        ["Debit", "L", "c1", 0.3],
        ["Credit", "B", "c1", 0.3],
      ],
    },
    {
      name: "payment of a revenue bill from trust",
      m: {
        kind: "single",
        tx: tx({ funds_out: 99.99, source: "BillPayment", bill: { id: 8, number: "1008" } }),
      },
      type: "bill_payment",
      lines: [
        ["Debit", "L", "c1", 99.99],
        ["Credit", "B", "c1", 99.99],
      ],
    },
    {
      name: "transfer between two clients",
      m: {
        kind: "transfer",
        from: tx({ id: 11, funds_out: 400, client: { id: 1 } }),
        to: tx({ id: 12, funds_in: 400, client: { id: 2 }, matter: { id: 6, display_number: "00006-Roe" } }),
      },
      type: "transfer",
      lines: [
        ["Debit", "L", "c1", 400],
        ["Credit", "L", "c2", 400],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(movementType(c.m), c.type);
      const mapped = toTrustJournalEntry(c.m, ctx);
      assert.deepEqual(mapped.notes, []);
      assert.deepEqual(postings(mapped.value), c.lines);
      const lines = mapped.value!.Line as Array<Record<string, string>>;
      assert.ok(lines.every((l) => l.Description!.includes("matter 0000")));
      assert.ok(lines.every((l) => /Clio transaction 1\d/.test(l.Description!)));
      assert.match(
        String(mapped.value!.PrivateNote),
        /Clio trust (transaction \d+|transfer of transactions \d+ → \d+);/,
      );
      assert.equal(mapped.value!.TxnDate, "2026-01-05");
    });
  }

  it("is balanced and moves each client's liability by the Clio amount", () => {
    for (const c of cases) {
      const je = toTrustJournalEntry(c.m, ctx).value!;
      const lines = postings(je);
      const debit = lines.filter((l) => l[0] === "Debit").reduce((s, l) => s + Math.round(l[3] * 100), 0);
      const credit = lines.filter((l) => l[0] === "Credit").reduce((s, l) => s + Math.round(l[3] * 100), 0);
      assert.equal(debit, credit);
      const byCustomer = liabilityByCustomer(je, new Set(["L"]));
      if (c.type === "transfer")
        assert.deepEqual(
          [...byCustomer],
          [
            ["c1", -40000],
            ["c2", 40000],
          ],
        );
      else if (c.type === "deposit") assert.deepEqual([...byCustomer], [["c1", 150010]]);
    }
  });

  it("waits for customers and refuses records without a client", () => {
    const noCustomer = toTrustJournalEntry(
      { kind: "single", tx: tx({ funds_in: 1, client: { id: 3 } }) },
      ctx,
    );
    assert.equal(noCustomer.value, undefined);
    assert.equal(noCustomer.notes[0]?.code, "trust_customer_missing");
    const noClient = toTrustJournalEntry({ kind: "single", tx: tx({ funds_in: 1, client: null }) }, ctx);
    assert.equal(noClient.notes[0]?.code, "trust_no_client");
  });

  it("flags transfer legs that disagree and amounts that are not money", () => {
    const uneven = toTrustJournalEntry(
      { kind: "transfer", from: tx({ funds_out: 5 }), to: tx({ funds_in: 6 }) },
      ctx,
    );
    assert.equal(uneven.notes[0]?.code, "trust_transfer_unbalanced");
    const bad = toTrustJournalEntry({ kind: "single", tx: tx({ funds_in: "1.234" }) }, ctx);
    assert.equal(bad.notes[0]?.code, "money_invalid");
  });
});
