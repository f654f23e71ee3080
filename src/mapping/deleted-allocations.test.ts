import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toQboCreditMemo, toQboPayment } from "./allocation-payment.ts";
import type { ClioAllocationView } from "./clio-billing-views.ts";

/**
 * Allocations deleted in Clio (kept by lexbridge as tombstones, `deleted: true`) pay nothing: the
 * QBO payment is rewritten without them, or has nothing left (then the engine voids it).
 */
const invoiceIdByBill = new Map([
  ["10", "1050"],
  ["11", "1051"],
]);
const ctx = { customerId: "58", invoiceIdByBill };
const on = (id: number, bill: number, amount: number, mark: Partial<ClioAllocationView> = {}) => ({
  id,
  date: "2026-03-10",
  amount,
  bill: { id: bill },
  ...mark,
});
const deleted = { deleted: true };
const voided = { voided_at: "2026-03-11T00:00:00Z" };

describe("a Clio payment that lost allocations", () => {
  const cases: Array<{
    name: string;
    allocations: ClioAllocationView[];
    lines: Array<[string, number]> | null;
  }> = [
    {
      name: "nothing lost",
      allocations: [on(1, 10, 60), on(2, 11, 40)],
      lines: [
        ["1050", 60],
        ["1051", 40],
      ],
    },
    {
      name: "one of two deleted",
      allocations: [on(1, 10, 60), on(2, 11, 40, deleted)],
      lines: [["1050", 60]],
    },
    {
      name: "one deleted, one voided",
      allocations: [on(1, 10, 60, voided), on(2, 11, 40, deleted)],
      lines: null,
    },
    {
      name: "every allocation deleted",
      allocations: [on(1, 10, 60, deleted), on(2, 11, 40, deleted)],
      lines: null,
    },
    {
      name: "a deleted part of an invoice another part still pays",
      allocations: [on(1, 10, 60), on(2, 10, 15, deleted)],
      lines: [["1050", 60]],
    },
    {
      name: "an explicit false mark is live",
      allocations: [on(1, 10, 60, { deleted: false })],
      lines: [["1050", 60]],
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.lines ? `${c.lines.length} line(s)` : "nothing to write (void)"}`, () => {
      const { value } = toQboPayment("44", c.allocations, ctx);
      if (c.lines === null) {
        assert.equal(value, undefined);
        return;
      }
      const lines = value!.Line as Array<{ Amount: number; LinkedTxn: Array<{ TxnId: string }> }>;
      assert.deepEqual(
        lines.map((l) => [l.LinkedTxn[0]!.TxnId, l.Amount]),
        c.lines,
      );
      assert.equal(
        value!.TotalAmt,
        c.lines.reduce((sum, [, amount]) => sum + amount, 0),
      );
    });
  }
});

describe("a Clio credit memo deleted or voided", () => {
  const memo = { id: 7, date: "2026-03-12", amount: 20, description: "Courtesy" };
  const cases: Array<{
    name: string;
    memo: typeof memo & Record<string, unknown>;
    allocations: ClioAllocationView[];
    applied: number | null;
  }> = [
    { name: "live", memo, allocations: [on(1, 10, 20)], applied: 20 },
    { name: "memo deleted", memo: { ...memo, deleted: true }, allocations: [on(1, 10, 20)], applied: null },
    {
      name: "memo voided",
      memo: { ...memo, voided_at: "2026-03-13T00:00:00Z" },
      allocations: [on(1, 10, 20)],
      applied: null,
    },
    { name: "its allocations deleted", memo, allocations: [on(1, 10, 20, deleted)], applied: null },
    {
      name: "one of two allocations deleted",
      memo,
      allocations: [on(1, 10, 12), on(2, 11, 8, deleted)],
      applied: 12,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.applied === null ? "nothing to write (removed)" : `applies ${c.applied}`}`, () => {
      const { value } = toQboCreditMemo(c.memo, c.allocations, { ...ctx, creditItemId: "6" });
      if (c.applied === null) {
        assert.equal(value, undefined);
        return;
      }
      assert.equal((value!.creditMemo.Line as Array<{ Amount: number }>)[0]?.Amount, c.applied);
      assert.equal(
        value!.applications.reduce((sum, a) => sum + a.amount, 0),
        c.applied,
      );
    });
  }
});
