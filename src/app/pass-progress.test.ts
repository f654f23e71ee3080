import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PassProgress } from "./pass-progress.ts";

describe("PassProgress", () => {
  it("counts reads and writes per stream and phase, and times requests from the events", () => {
    const p = new PassProgress(1000);
    p.apply({ type: "reads", streams: ["bill", "allocation"] }, 1000);
    p.apply({ type: "phase", phase: "resume", total: 30 }, 1000);
    p.apply({ type: "progress", phase: "resume", done: 30 }, 1400);
    p.apply({ type: "pulled", stream: "bill", records: 200 }, 1500);
    p.apply({ type: "pulled", stream: "bill", records: 200 }, 2000);
    p.apply({ type: "pulled", stream: "bill", records: 50 }, 2500);
    assert.deepEqual(p.activity(), { kind: "reading", stream: "bill" });
    p.apply({ type: "read", stream: "bill", records: 450 }, 2500);
    assert.deepEqual(p.activity(), { kind: "planning" });
    p.apply({ type: "phase", phase: "customers", total: 100 }, 3000);
    p.apply({ type: "progress", phase: "customers", done: 30 }, 4000);
    assert.deepEqual(p.activity(), { kind: "writing", phase: "customers", done: 30, total: 100 });
    // The outbox replay at the end of the pass adds to the one at its start.
    p.apply({ type: "phase", phase: "resume", total: 2 }, 4000);

    const s = p.snapshot(5000);
    assert.equal(s.elapsedMs, 4000);
    assert.deepEqual(s.reads, [
      { stream: "bill", records: 450, pages: 3, done: true },
      { stream: "allocation", records: 0, pages: 0, done: false },
    ]);
    assert.deepEqual(
      s.phases.filter((x) => x.total !== undefined),
      [
        { phase: "resume", total: 32, done: 30 },
        { phase: "customers", total: 100, done: 30 },
      ],
    );
    // Pages 500 ms apart; a batch 1 s after its phase was planned (after 400 ms for the replay).
    assert.equal(s.clioMsPerRequest, 500);
    assert.equal(s.qboMsPerBatch, (400 + 1000) / 2);
    assert.equal(p.recordsRead(), 450);
    assert.deepEqual(p.writes(), { done: 60, planned: 132 });
  });
});
