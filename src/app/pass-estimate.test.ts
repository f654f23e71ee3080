import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateRemaining, formatDuration, type PassSnapshot, type RateBudgets } from "./pass-estimate.ts";

/** The budgets the engine starts from: Clio 50 a minute, QBO 40 batch calls a minute of 30 writes. */
const BUDGETS: RateBudgets = {
  clioPerMinute: 50,
  clioBurst: 50,
  clioPageSize: 200,
  qboBatchesPerMinute: 40,
  qboBatchBurst: 40,
  batchSize: 30,
};

const LATER = ["bank_transaction", "line_item", "allocation", "credit_memo"];
const PHASES = [
  "resume",
  "customers",
  "trust customers",
  "journal entries",
  "invoices",
  "payments",
  "credit applications",
  "voided credit memos",
];

/** A pass that has read its bills and nothing else, planned nothing, at the budgets' own pace. */
function afterBills(bills: number, pages: number, elapsedMs: number): PassSnapshot {
  return {
    elapsedMs,
    reads: [
      { stream: "bill", records: bills, pages, done: true },
      ...LATER.map((stream) => ({ stream, records: 0, pages: 0, done: false })),
    ],
    phases: PHASES.map((phase) => ({ phase, done: 0 })),
    clioMsPerRequest: 1,
    qboMsPerBatch: 1,
  };
}

describe("estimateRemaining", () => {
  it("gives no ETA while the bills, the basis of every estimate, are being read", () => {
    const snapshot = afterBills(400, 2, 1000);
    snapshot.reads[0]!.done = false;
    assert.equal(estimateRemaining(snapshot, BUDGETS).remainingMs, undefined);
  });

  it("estimates the remaining Clio pages from the bills read, and the writes from the firm's shape", () => {
    // 25,000 bills → ~85,000 bill lines (425 pages), 32,500 allocations (163), 2,750 credit memos
    // (14), 15,000 trust movements (75): 677 pages left.
    const e = estimateRemaining(afterBills(25_000, 125, 150_000), BUDGETS);
    assert.equal(e.clioRequests, 75 + 425 + 163 + 14);
    // customers 7,000 → 234 batches; journal entries 11,400 → 380; invoices 18,250 → 609;
    // payments 26,325 → 878; credit applications 2,475 → 83.
    assert.equal(e.qboBatches, 234 + 380 + 609 + 878 + 83);
  });

  it("is bound by the rate budgets: the large firm's reads take 50 requests a minute", () => {
    // 150 s after a start whose 125 bill pages spent the burst: the Clio bucket holds 50 − 125 +
    // 125 = 50 tokens. Stage 2: 677 reads (50 free, then 627 at 1.2 s) ‖ 614 batches (40 free,
    // then 574 at 1.5 s) → max(752.4 s, 861 s). Stage 3: 1,570 batches at 1.5 s = 2,355 s.
    const e = estimateRemaining(afterBills(25_000, 125, 150_000), BUDGETS);
    assert.equal(e.remainingMs, 861_000 + 2_355_000);
  });

  it("is bound by the observed pace when the budgets leave room (emulators without quotas)", () => {
    const snapshot = afterBills(500, 3, 2000);
    snapshot.clioMsPerRequest = 100;
    snapshot.qboMsPerBatch = 200;
    // Stage 2: reads of 2 + 9 + 4 + 1 = 16 pages (within the burst) → 1.6 s, beside customers 5
    // + journal entries 8 batches (within the burst) → 2.6 s.
    const e = estimateRemaining(snapshot, BUDGETS);
    assert.equal(e.clioRequests, 16);
    // Stage 3: invoices 13, payments 18, credits 2: 33 batches, 6 of them beyond the 27 the QBO
    // budget still holds → 6 × 1.5 s = 9 s, more than their pace (6.6 s).
    assert.equal(e.remainingMs, 2600 + 9000);
  });

  it("uses what was planned over the shape, and counts only the writes not done", () => {
    const snapshot = afterBills(500, 3, 2000);
    for (const r of snapshot.reads) r.done = true;
    snapshot.phases.find((p) => p.phase === "invoices")!.total = 300;
    snapshot.phases.find((p) => p.phase === "invoices")!.done = 240;
    for (const p of snapshot.phases) if (p.phase !== "invoices" && p.phase !== "payments") p.total = p.done;
    snapshot.phases.find((p) => p.phase === "payments")!.total = 0;
    const e = estimateRemaining(snapshot, BUDGETS);
    assert.deepEqual(e, { remainingMs: 2, clioRequests: 0, qboBatches: 2 });
  });
});

describe("formatDuration", () => {
  it("says seconds, minutes and hours as a person reads them", () => {
    assert.equal(formatDuration(44_600), "45 s");
    assert.equal(formatDuration(200_000), "3 min 20 s");
    assert.equal(formatDuration(3_840_000), "1 h 04 min");
  });
});
