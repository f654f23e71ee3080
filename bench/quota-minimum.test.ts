import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quotaMinimum } from "./quota-minimum.ts";

describe("the quota minimum of an initial sync", () => {
  it("moves 1,660 QBO writes a minute with both lanes: the issue's large firm takes about 36 minutes", () => {
    const m = quotaMinimum({ qboWrites: 59_828, qboReads: 0, clioCalls: 0 });
    assert.equal(m.qboMinutes.toFixed(2), (59_828 / 1660 - 1).toFixed(2));
    assert.ok(m.minutes > 35 && m.minutes < 36, String(m.minutes));
    // Every batch the lane allows, single writes for the rest.
    assert.equal(m.batches, Math.floor(40 * (1 + m.minutes)));
    assert.equal(m.batches * 30 + m.singles, 59_828);
  });

  it("is bound by Clio when Clio is slower, and then needs no single write", () => {
    const m = quotaMinimum({ qboWrites: 3000, qboReads: 2, clioCalls: 500 });
    assert.equal(m.clioMinutes, 9);
    assert.equal(m.minutes, 9);
    assert.equal(m.singles, 0);
    assert.equal(m.qboCalls, 100 + 2);
  });

  it("needs no time beyond the first window for work that fits in the full budgets", () => {
    const m = quotaMinimum({ qboWrites: 1200, qboReads: 5, clioCalls: 40 });
    assert.equal(m.minutes, 0);
    assert.equal(m.qboCalls, 45);
  });

  it("counts the QBO reads against the 500 a minute", () => {
    const without = quotaMinimum({ qboWrites: 16_600, qboReads: 0, clioCalls: 0 });
    const withReads = quotaMinimum({ qboWrites: 16_600, qboReads: 1660, clioCalls: 0 });
    assert.equal(without.minutes, 9);
    assert.equal(withReads.minutes, 10);
  });
});
