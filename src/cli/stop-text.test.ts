import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PassProgress } from "../app/pass-progress.ts";
import { stopMessage } from "./stop-text.ts";

/** A pass's events, each at its own millisecond. */
function progressAfter(events: Parameters<PassProgress["apply"]>[0][]): PassProgress {
  const p = new PassProgress(0);
  events.forEach((e, i) => {
    p.apply(e, i + 1);
  });
  return p;
}

function pointOf(p: PassProgress) {
  return { stage: "pass" as const, activity: p.activity(), recordsRead: p.recordsRead(), writes: p.writes() };
}

describe("stopMessage", () => {
  it("in the middle of a phase: what was sent of it, and that the next run resumes", () => {
    const p = progressAfter([
      { type: "reads", streams: ["bill", "allocation"] },
      { type: "pulled", stream: "bill", records: 200 },
      { type: "read", stream: "bill", records: 200 },
      { type: "phase", phase: "customers", total: 40 },
      { type: "progress", phase: "customers", done: 30 },
      { type: "progress", phase: "customers", done: 10 },
      { type: "phase", phase: "invoices", total: 530 },
      { type: "progress", phase: "invoices", done: 30 },
      { type: "progress", phase: "invoices", done: 30 },
      { type: "progress", phase: "invoices", done: 30 },
      { type: "progress", phase: "invoices", done: 30 },
    ]);
    assert.equal(
      stopMessage(pointOf(p)),
      "Stopped. Sent 120 of 530 invoices (and 40 earlier writes); the next run resumes where this one stopped.",
    );
  });

  it("while reading Clio", () => {
    const p = progressAfter([
      { type: "reads", streams: ["bill"] },
      { type: "pulled", stream: "bill", records: 200 },
      { type: "pulled", stream: "bill", records: 200 },
    ]);
    assert.equal(
      stopMessage(pointOf(p)),
      "Stopped while reading bills from Clio (400 records read); the next run resumes where this one stopped.",
    );
  });

  it("before anything happened, between passes, and during the reconciliation", () => {
    assert.equal(
      stopMessage(pointOf(progressAfter([]))),
      "Stopped before anything was sent; the next run starts the pass again.",
    );
    assert.equal(
      stopMessage({ stage: "between passes", passes: 3 }),
      "Stopped between passes (3 passes ran); the next run syncs what changed since.",
    );
    assert.equal(
      stopMessage({ stage: "reconciling", writes: 1530 }),
      "Stopped during the reconciliation after the pass; the pass itself was complete (1,530 writes sent). The next run reconciles again.",
    );
  });
});
