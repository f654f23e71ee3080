import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ClioTrustTransactionView } from "./trust-journal.ts";
import {
  isTransferLeg,
  type LegPairing,
  pairTransferLegs,
  parseTransferKey,
  transferBucket,
  transferKey,
} from "./trust-transfer-pairing.ts";

/** A transfer leg as Clio lists it: out of (`amount` < 0) or into a matter's trust ledger. */
function leg(
  id: number,
  amount: number,
  matter: number,
  extra: Partial<ClioTrustTransactionView> = {},
): ClioTrustTransactionView {
  return {
    id,
    date: "2026-02-03",
    funds_in: Math.max(amount, 0),
    funds_out: amount < 0 ? -amount : 0,
    transaction_type: "Transfer",
    source: "BankTransfer",
    description: "Matter transfer",
    confirmation: null,
    created_at: "2026-02-03T10:00:00Z",
    client: { id: 100 + matter },
    matter: { id: matter },
    bank_account: { id: 1 },
    ...extra,
  };
}

const states = (result: Map<string, LegPairing>) =>
  Object.fromEntries([...result].map(([id, p]) => [id, p.state === "paired" ? p.key : p.state]));

describe("pairing the legs of a Clio trust transfer", () => {
  it("pairs an outgoing and an incoming leg of the same account, date and amount", () => {
    const result = pairTransferLegs([leg(11, -400, 1), leg(12, 400, 2)]);
    assert.deepEqual(states(result), { "11": "transfer:11-12", "12": "transfer:11-12" });
    assert.deepEqual(result.get("11"), { state: "paired", key: "transfer:11-12", from: "11", to: "12" });
    assert.deepEqual(parseTransferKey(transferKey("11", "12")), { from: "11", to: "12" });
  });

  it("knows legs by transaction_type or source, and never a bill payment or a zero amount", () => {
    assert.equal(isTransferLeg(leg(1, -5, 1, { source: "Manual" })), true);
    assert.equal(isTransferLeg(leg(1, -5, 1, { transaction_type: "Withdrawal" })), true);
    assert.equal(isTransferLeg(leg(1, -5, 1, { transaction_type: "Withdrawal", source: "Manual" })), false);
    assert.equal(isTransferLeg(leg(1, -5, 1, { bill: { id: 3 } })), false);
    assert.equal(isTransferLeg(leg(1, 0, 1)), false);
    assert.equal(transferBucket(leg(1, -5.5, 1)), "1|2026-02-03|550");
    assert.equal(transferBucket(leg(1, 5, 1, { source: "Manual", transaction_type: "Deposit" })), null);
    const deposit = leg(12, 400, 2, { transaction_type: "Deposit", source: "Manual" });
    assert.deepEqual(states(pairTransferLegs([leg(11, -400, 1), deposit])), { "11": "unpaired" });
  });

  it("leaves a leg unpaired unless the hard rule holds", () => {
    const out = leg(11, -400, 1);
    const unpaired = (other: ClioTrustTransactionView) =>
      assert.deepEqual(states(pairTransferLegs([out, other])), {
        "11": "unpaired",
        [String(other.id)]: "unpaired",
      });
    unpaired(leg(12, 400, 2, { date: "2026-02-04" }));
    unpaired(leg(12, 400.01, 2));
    unpaired(leg(12, 400, 2, { bank_account: { id: 2 } }));
    unpaired(leg(12, 400, 1)); // the same matter and client
    unpaired(leg(12, -400, 2)); // both leave
    assert.deepEqual(states(pairTransferLegs([out])), { "11": "unpaired" }, "its partner is not read yet");
  });

  it("pairs two matters of one client, or two clients without matters", () => {
    const sameClient = pairTransferLegs([
      leg(11, -9, 1, { client: { id: 7 } }),
      leg(12, 9, 2, { client: { id: 7 } }),
    ]);
    assert.equal(sameClient.get("11")?.state, "paired");
    const clients = pairTransferLegs([
      leg(11, -9, 1, { matter: null, client: { id: 7 } }),
      leg(12, 9, 1, { matter: null, client: { id: 8 } }),
    ]);
    assert.equal(clients.get("11")?.state, "paired");
  });

  it("narrows look-alikes by description, reference, creation time and adjacent ids, in that order", () => {
    const twins = (a: Partial<ClioTrustTransactionView>, b: Partial<ClioTrustTransactionView>) =>
      states(
        pairTransferLegs([leg(11, -50, 1, a), leg(12, 50, 2, a), leg(21, -50, 3, b), leg(25, 50, 4, b)]),
      );
    const expected = {
      "11": "transfer:11-12",
      "12": "transfer:11-12",
      "21": "transfer:21-25",
      "25": "transfer:21-25",
    };
    assert.deepEqual(twins({ description: "Fees" }, { description: "Costs" }), expected);
    assert.deepEqual(twins({ confirmation: "T-1" }, { confirmation: "T-2" }), expected);
    assert.deepEqual(
      twins({ created_at: "2026-02-03T10:00:00Z" }, { created_at: "2026-02-03T10:05:00Z" }),
      expected,
    );
    // 11-12 are adjacent; once they pair, 21 and 25 are each other's only candidate.
    assert.deepEqual(twins({}, {}), expected);
  });

  it("never guesses: legs no rule tells apart are ambiguous, naming their candidates", () => {
    const result = pairTransferLegs([leg(11, -50, 1), leg(14, 50, 2), leg(17, -50, 3), leg(20, 50, 4)]);
    assert.deepEqual(result.get("11"), { state: "ambiguous", candidates: ["14", "20"] });
    assert.deepEqual(result.get("14"), { state: "ambiguous", candidates: ["11", "17"] });
  });

  it("does not let a narrowing rule block the one candidate the hard rule leaves", () => {
    const result = pairTransferLegs([
      leg(11, -50, 1, { description: "To Acme", created_at: "2026-02-03T09:00:00Z" }),
      leg(40, 50, 2, { description: "From Doe", transaction_type: "Transfer in", confirmation: "X" }),
    ]);
    assert.equal(result.get("11")?.state, "paired");
  });

  it("keeps a pair already written while it meets the hard rule, and drops it when it does not", () => {
    const legs = [leg(11, -50, 1), leg(12, 50, 2), leg(30, -50, 3)];
    const kept = pairTransferLegs(legs, [{ from: "30", to: "12" }]);
    assert.deepEqual(states(kept), { "30": "transfer:30-12", "12": "transfer:30-12", "11": "unpaired" });
    const edited = [leg(11, -50, 1), leg(12, 50, 2), leg(30, -60, 3)];
    assert.deepEqual(states(pairTransferLegs(edited, [{ from: "30", to: "12" }])), {
      "11": "transfer:11-12",
      "12": "transfer:11-12",
      "30": "unpaired",
    });
  });

  describe("properties, with look-alike transfers (few amounts, dates and matters)", () => {
    const transfers = fc.array(
      fc.record({
        cents: fc.integer({ min: 1, max: 3 }),
        day: fc.integer({ min: 1, max: 2 }),
        from: fc.integer({ min: 1, max: 4 }),
        to: fc.integer({ min: 1, max: 4 }),
        minute: fc.integer({ min: 0, max: 1 }),
      }),
      { maxLength: 12 },
    );
    /** Both legs of a transfer are created at once (adjacent ids, one created_at), as the emulator does. */
    const legsOf = (
      list: Array<{ cents: number; day: number; from: number; to: number }>,
      minute: (i: number) => number,
    ) =>
      list.flatMap((t, i) => {
        if (t.from === t.to) return [];
        const common = {
          date: `2026-02-0${t.day}`,
          created_at: new Date(Date.UTC(2026, 1, 3, 10, minute(i))).toISOString(),
        };
        return [leg(100 + 2 * i, -t.cents, t.from, common), leg(101 + 2 * i, t.cents, t.to, common)];
      });
    const partner = (id: number) => (id % 2 === 0 ? id + 1 : id - 1);
    const shuffle = (legs: ClioTrustTransactionView[], seed: number) =>
      [...legs].sort((a, b) => ((Number(a.id) * 7919 + seed) % 97) - ((Number(b.id) * 7919 + seed) % 97));

    it("never pairs a leg with another transfer's leg, and never calls a leg whose partner is read unpaired", () => {
      fc.assert(
        fc.property(transfers, fc.integer({ min: 0, max: 1000 }), (list, seed) => {
          const legs = legsOf(list, (i) => list[i]!.minute);
          const result = pairTransferLegs(shuffle(legs, seed));
          for (const l of legs) {
            const p = result.get(String(l.id))!;
            if (p.state === "paired")
              assert.equal(Number(p.from === String(l.id) ? p.to : p.from), partner(Number(l.id)));
            else assert.equal(p.state, "ambiguous");
          }
        }),
      );
    });

    it("pairs every leg with its own partner when transfers were made minutes apart, whatever the order read", () => {
      fc.assert(
        fc.property(transfers, fc.integer({ min: 0, max: 1000 }), (list, seed) => {
          const legs = legsOf(list, (i) => 2 * i);
          const result = pairTransferLegs(shuffle(legs, seed));
          for (const l of legs) {
            const p = result.get(String(l.id));
            assert.equal(p?.state, "paired");
            assert.equal(Number(p.from === String(l.id) ? p.to : p.from), partner(Number(l.id)));
          }
        }),
      );
    });
  });
});
