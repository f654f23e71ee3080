import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { driftChanges } from "./reconcile-raise.ts";
import type { ReconcileItem, ReconcileReport } from "./reconcile-report.ts";

const zero = { clio: "0.00", qbo: "0.00", difference: "0.00" };
const row = (clientId: string, trust = zero) => ({
  clientId,
  name: `Client ${clientId}`,
  receivables: zero,
  invoices: zero,
  payments: zero,
  trust,
});
const item = (area: ReconcileItem["area"], clientId: string, reason: string): ReconcileItem => ({
  area,
  clientId,
  clioRecord: "r",
  clio: "1.00",
  qbo: "0.00",
  difference: "-1.00",
  reason,
});
const report = (clients: string[], items: ReconcileItem[]): ReconcileReport => ({
  generatedAt: "2026-03-10T12:00:00.000Z",
  scope: "full",
  ok: items.length === 0,
  clients: clients.map((c) => row(c)),
  totals: { receivables: zero, invoices: zero, payments: zero, trust: zero },
  trustAccounts: [],
  items,
});
const customers = new Map([
  ["1", "7"],
  ["2", "8"],
  ["3", "9"],
]);
const open = [
  { key: "balance:1", code: "sync_balance_drift" },
  { key: "trust:2", code: "sync_trust_drift" },
  { key: "balance:3", code: "sync_balance_drift" },
  { key: "bill:5", code: "sync_invoice_failed" },
];

describe("drift items from a reconciliation", () => {
  it("a difference of a linked client raises trust or balance drift; one with its own item does not", () => {
    const r = report(
      ["1", "2"],
      [
        item("trust", "1", "journal entry differs"),
        item("receivables", "2", "balance differs"),
        item("invoice", "2", "bill not synced"),
      ],
    );
    const { issues } = driftChanges(r, customers, []);
    assert.deepEqual(
      issues.map((i) => [i.key, i.code, i.qboId]),
      [
        ["trust:1", "sync_trust_drift", "7"],
        ["balance:2", "sync_balance_drift", "8"],
      ],
    );
  });
  it("a full compare resolves every drift item that no longer differs, and only drift items", () => {
    const { resolve } = driftChanges(
      report(["1"], [item("receivables", "1", "balance differs")]),
      customers,
      open,
    );
    assert.deepEqual(resolve, ["trust:2", "balance:3"]);
  });
  it("a touched-only compare resolves only the compared clients' items", () => {
    const { resolve } = driftChanges(report(["2"], []), customers, open, new Set(["2"]));
    assert.deepEqual(resolve, ["trust:2"]);
  });
});
