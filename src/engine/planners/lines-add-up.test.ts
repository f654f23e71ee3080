import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClioBillView, ClioLineItemView } from "../../mapping/clio-billing-views.ts";
import { linesAddUp } from "./lines-add-up.ts";

const bill = (sub_total: number | null | undefined) => ({ id: 1, sub_total }) as ClioBillView;
const line = (total: number | null | undefined) => ({ id: 2, total }) as ClioLineItemView;

test("lines whose totals equal the bill's sub-total to the cent add up", () => {
  assert.equal(linesAddUp(bill(1200.1), [line(1000.05), line(200.05)]), true);
  // Floating point must not decide: 0.1 + 0.2 is 0.30 in cents.
  assert.equal(linesAddUp(bill(0.3), [line(0.1), line(0.2)]), true);
});

test("lines still missing (or one cent apart) do not add up", () => {
  assert.equal(linesAddUp(bill(1200.1), [line(1000.05)]), false);
  assert.equal(linesAddUp(bill(1200.1), [line(1000.05), line(200.04)]), false);
});

test("no lines, or a bill or line without an amount, is never taken as complete", () => {
  assert.equal(linesAddUp(bill(0), []), false);
  assert.equal(linesAddUp(bill(undefined), [line(5)]), false);
  assert.equal(linesAddUp(bill(null), [line(5)]), false);
  assert.equal(linesAddUp(bill(5), [line(null)]), false);
  assert.equal(linesAddUp(bill(5), [line(5.001)]), false);
});

test("a zero bill whose lines cancel out adds up (a later line would rewrite it)", () => {
  assert.equal(linesAddUp(bill(0), [line(100), line(-100)]), true);
});
