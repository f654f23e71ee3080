import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LiveProgress, type ProgressView } from "./live-progress.ts";
import { defaultBudgets } from "./pass-budgets.ts";

/** The engine's own budgets: the figures only shape the ETA, which the test checks loosely. */
const BUDGETS = defaultBudgets();

describe("LiveProgress", () => {
  it("tells listeners each step of a pass: activity, counts, an ETA once bills are read, then done", () => {
    let now = 1_000;
    const live = new LiveProgress(() => now, BUDGETS);
    assert.deepEqual(
      { state: live.view().state, label: live.view().label, percent: live.view().percent },
      { state: "idle", label: "No pass has run yet", percent: 0 },
    );
    const heard: ProgressView[] = [];
    const stop = live.subscribe((v) => heard.push(v));

    live.passStarted();
    live.apply({ type: "reads", streams: ["bill", "line_item"] });
    now += 500;
    live.apply({ type: "pulled", stream: "bill", records: 200 });
    const reading = live.view();
    assert.equal(reading.state, "running");
    assert.match(reading.label, /^Reading .* from Clio$/);
    assert.equal(reading.eta, "ETA once bills are read");
    assert.equal(reading.recordsRead, 200);

    now += 500;
    live.apply({ type: "read", stream: "bill", records: 300 });
    live.apply({ type: "phase", phase: "invoices", total: 90 });
    now += 1_000;
    live.apply({ type: "progress", phase: "invoices", done: 30 });
    const writing = live.view();
    assert.match(writing.eta, /^ETA \d/);
    assert.deepEqual([writing.writesDone, writing.writesPlanned], [30, 90]);
    assert.ok(writing.percent > 0 && writing.percent < 100, `${writing.percent}%`);

    live.note("Reconciling Clio and QuickBooks");
    assert.equal(live.view().eta, "almost done");
    assert.ok(live.view().percent >= writing.percent, "never backwards");

    live.passEnded();
    const done = live.view();
    assert.deepEqual([done.state, done.label, done.percent, done.passes], ["done", "Done", 100, 1]);
    assert.equal(heard.at(-1)?.state, "done");
    const count = heard.length;
    stop();
    live.passStarted();
    assert.equal(heard.length, count, "an unsubscribed listener hears nothing more");
  });

  it("shows a failed pass with its error, and the next pass starts from zero", () => {
    const live = new LiveProgress(() => 0, BUDGETS);
    live.passStarted();
    live.passEnded("QuickBooks Online is not connected");
    assert.equal(live.view().state, "failed");
    assert.equal(live.view().label, "Failed: QuickBooks Online is not connected");
    live.apply({ type: "reads", streams: ["bill"] });
    assert.deepEqual([live.view().state, live.view().recordsRead, live.view().passes], ["running", 0, 1]);
  });
});
