import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fewestQboCalls, quotaMinimum } from "./quota-minimum.ts";

describe("the quota minimum of an initial sync", () => {
  it("moves 1,660 QBO writes a minute with both lanes: the issue's large firm takes about 36 minutes", () => {
    const m = quotaMinimum({ qboWrites: 59_828, qboReads: 0, clioCalls: 0 });
    assert.ok(Math.abs(m.qboMinutes - (59_828 / 1660 - 1)) < 0.01, String(m.qboMinutes));
    assert.ok(m.minutes > 35 && m.minutes < 36, String(m.minutes));
    // Every batch the lane allows, single writes for the rest.
    assert.ok(Math.abs(m.batches - 40 * (1 + m.minutes)) <= 1, String(m.batches));
    assert.equal(m.batches * 30 + m.singles, 59_828);
  });

  it("needs fewer single writes in more time", () => {
    const work = { qboWrites: 59_828, qboReads: 0 };
    const atMinimum = quotaMinimum({ ...work, clioCalls: 0 });
    const later = fewestQboCalls(work, atMinimum.minutes + 10);
    assert.equal(later.batches, atMinimum.batches + 400);
    assert.equal(later.singles, atMinimum.singles - 400 * 30);
  });

  it("is bound by Clio when Clio is slower, and then needs no single write", () => {
    const m = quotaMinimum({ qboWrites: 3000, qboReads: 2, clioCalls: 500 });
    assert.ok(m.qboMinutes < 2, String(m.qboMinutes));
    assert.equal(m.clioMinutes, 9);
    assert.equal(m.minutes, 9);
    assert.equal(m.singles, 0);
    assert.equal(m.qboCalls, 100 + 2);
  });

  it("spaces even the first window's calls 10 a second", () => {
    // 40 batches and 5 reads fit in the full minute budgets, but take 4.5 s at 10 a second.
    const m = quotaMinimum({ qboWrites: 1200, qboReads: 5, clioCalls: 40 });
    assert.ok(Math.abs(m.minutes * 60 - 4.5) < 0.01, String(m.minutes * 60));
    assert.equal(m.qboCalls, 45);
  });

  it("counts the QBO reads against the 500 a minute", () => {
    const without = quotaMinimum({ qboWrites: 16_600, qboReads: 0, clioCalls: 0 });
    const withReads = quotaMinimum({ qboWrites: 16_600, qboReads: 1660, clioCalls: 0 });
    assert.ok(Math.abs(without.minutes - 9) < 0.001, String(without.minutes));
    assert.ok(Math.abs(withReads.minutes - 10) < 0.001, String(withReads.minutes));
  });
});
