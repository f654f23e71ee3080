import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isLexError } from "./errors.ts";
import {
  addMoney,
  allocateMoney,
  cents,
  formatMoney,
  parseMoney,
  parsePresentMoney,
  splitMoney,
  sumMoney,
  toDecimalNumber,
} from "./money.ts";

describe("money", () => {
  it("adds 0.1 and 0.2 to exactly 0.30", () => {
    assert.equal(formatMoney(addMoney(parseMoney(0.1), parseMoney(0.2))), "0.30");
    assert.equal(toDecimalNumber(addMoney(parseMoney("0.1"), parseMoney("0.2"))), 0.3);
  });

  it("parses text and numbers in the forms the providers send", () => {
    const cases: Array<[string | number, number]> = [
      ["0", 0],
      ["12.3", 1230],
      ["12.30", 1230],
      ["-0.05", -5],
      ["1,234.56", 123456],
      [1234.56, 123456],
      [19.99, 1999],
      [-7, -700],
      ["-0", 0],
    ];
    for (const [input, expected] of cases) assert.equal(parseMoney(input), expected, String(input));
  });

  it("rejects amounts with more than two decimals or that are not numbers, with a code", () => {
    for (const bad of ["1.005", "abc", "", "1e3", Number.NaN, Number.POSITIVE_INFINITY, 0.001]) {
      assert.throws(
        () => parseMoney(bad),
        (e) => isLexError(e, "money_invalid"),
        String(bad),
      );
    }
  });

  it("treats a money field left out or null as not an amount, and parses one that is there", () => {
    for (const absent of [null, undefined])
      assert.throws(
        () => parsePresentMoney(absent),
        (e) => isLexError(e, "money_invalid"),
      );
    assert.equal(parsePresentMoney(12.5), parseMoney("12.50"));
  });

  it("formats negative and small amounts", () => {
    assert.equal(formatMoney(cents(-5)), "-0.05");
    assert.equal(formatMoney(cents(100)), "1.00");
    assert.equal(formatMoney(cents(-123456)), "-1234.56");
  });

  it("allocates 100.00 in 3 parts that sum exactly", () => {
    const parts = splitMoney(parseMoney("100.00"), 3);
    assert.deepEqual(parts.map(formatMoney), ["33.34", "33.33", "33.33"]);
    assert.equal(sumMoney(parts), 10000);
  });

  it("allocates by weight and keeps the sign", () => {
    assert.deepEqual(allocateMoney(cents(-1000), [1, 1, 1]), [-334, -333, -333]);
    assert.deepEqual(allocateMoney(cents(500), [3, 1]), [375, 125]);
    assert.deepEqual(allocateMoney(cents(1), [0, 1]), [0, 1]);
  });

  it("refuses allocations that cannot be made", () => {
    assert.throws(
      () => allocateMoney(cents(100), []),
      (e) => isLexError(e, "money_invalid"),
    );
    assert.throws(
      () => allocateMoney(cents(100), [0, 0]),
      (e) => isLexError(e, "money_invalid"),
    );
    assert.throws(
      () => cents(1.5),
      (e) => isLexError(e, "money_invalid"),
    );
  });

  it("property: allocation always sums to the total and parts differ from their share by < 1 cent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateMoney(cents(total), weights);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          assert.equal(sumMoney(parts), total);
          parts.forEach((p, i) => {
            assert.ok(Math.abs(p - (total * (weights[i] ?? 0)) / weightSum) < 1);
          });
        },
      ),
    );
  });

  it("property: format then parse is the identity", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        assert.equal(parseMoney(formatMoney(cents(n))), n);
        assert.equal(parseMoney(toDecimalNumber(cents(n))), n);
      }),
    );
  });
});
