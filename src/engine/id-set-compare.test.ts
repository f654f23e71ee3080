import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { idCompareStep } from "./id-set-compare.ts";

describe("when the complete id compare runs", () => {
  const day = 86_400_000;
  const at = Date.parse("2026-03-10T12:00:00Z");
  const cases: Array<[string, string | undefined, number, number, string]> = [
    ["never compared: keep the time, compare a period later", undefined, at, day, "start"],
    ["compared an hour ago", "2026-03-10T11:00:00.000Z", at, day, "wait"],
    ["compared exactly a period ago", "2026-03-09T12:00:00.000Z", at, day, "compare"],
    ["compared two days ago", "2026-03-08T12:00:00.000Z", at, day, "compare"],
    ["every pass (period 0)", "2026-03-10T12:00:00.000Z", at, 0, "compare"],
    ["a time that cannot be read", "yesterday", at, day, "compare"],
    ["a time ahead of the clock (clock set back)", "2026-03-11T12:00:00.000Z", at, day, "compare"],
  ];
  for (const [name, last, now, interval, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(idCompareStep(last, now, interval), expected);
    });
  }
});
