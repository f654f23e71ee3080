import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PassSummary } from "../engine/sync-pass.ts";
import { summaryLines } from "./summary-text.ts";

function pass(
  plan: Array<[phase: string, action: string, n: number]>,
  more: Partial<PassSummary> = {},
): PassSummary {
  return {
    runId: "run-1",
    dryRun: false,
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:14.500Z",
    pulled: { bill: 531, contact: 0, line_item: 1829, allocation: 684 },
    plan: plan.flatMap(([phase, action, n]) =>
      Array.from({ length: n }, (_, i) => ({ phase, action, clioId: String(i) })),
    ),
    written: { sent: 0, succeeded: 0, failed: 0, batches: 0 },
    openIssues: 0,
    cleanings: 0,
    touchedClients: [],
    ...more,
  };
}

describe("summaryLines", () => {
  it("says what a pass did in a bookkeeper's words", () => {
    const lines = summaryLines({
      ...pass(
        [
          ["customer", "link", 38],
          ["customer", "create", 112],
          ["customer", "update", 2],
          ["invoice", "create", 530],
          ["payment", "create", 640],
          ["credit_memo", "create", 1],
          ["journal_entry", "create", 242],
          ["invoice", "void", 3],
          ["customer", "propose", 10],
          ["issue", "sync_customer_not_synced", 4],
        ],
        { openIssues: 14, written: { sent: 1500, succeeded: 1498, failed: 2, batches: 50 } },
      ),
      reconciled: { scope: "clients", clients: 12, ok: false, differences: 1 },
    });
    assert.deepEqual(lines, [
      "Sync finished in 14.5 s.",
      "  Read from Clio: 531 bills, 1,829 bill lines and 684 payments and credits.",
      "  Linked 38 existing QuickBooks customers, created 112 and updated 2.",
      "  Sent 530 invoices, 640 payments, 1 credit note and 242 trust journal entries.",
      "  In QuickBooks: 3 invoices voided.",
      "  10 near matches wait for your review (lexbridge match list).",
      "  2 writes failed: each is a Sync Status item or is sent again next pass.",
      "  4 records could not sync and wait in Sync Status.",
      "  Reconciliation, 12 clients the pass touched: 1 difference itemised (lexbridge reconcile).",
      "  Sync Status: 14 open items (lexbridge status).",
    ]);
  });

  it("says when there was nothing to do", () => {
    const lines = summaryLines({
      ...pass([], { pulled: { bill: 0 } }),
      reconciled: { scope: "none", clients: 0, ok: true, differences: 0 },
    });
    assert.deepEqual(lines, [
      "Sync finished in 14.5 s.",
      "  Read from Clio: nothing new.",
      "  Nothing to send: QuickBooks is up to date.",
      "  Reconciliation, nothing changed, nothing compared.",
      "  Sync Status: nothing open.",
    ]);
  });

  it("a dry run says what it would do", () => {
    const lines = summaryLines(
      pass(
        [
          ["customer", "create", 1],
          ["invoice", "create", 2],
        ],
        { dryRun: true },
      ),
    );
    assert.equal(lines[0], "Dry run (nothing written) finished in 14.5 s.");
    assert.ok(lines.includes("  Would create 1 customer."));
    assert.ok(lines.includes("  Would send 2 invoices."));
  });

  it("counts from the pass's counts when its plan keeps only its first entries", () => {
    const whole = pass([
      ["invoice", "create", 30],
      ["issue", "sync_customer_not_synced", 4],
    ]);
    const cut = {
      ...whole,
      plan: whole.plan.slice(0, 10),
      planCounts: { "invoice create": 30, "issue sync_customer_not_synced": 4 },
    };
    assert.deepEqual(summaryLines(cut), summaryLines(whole));
  });
});
