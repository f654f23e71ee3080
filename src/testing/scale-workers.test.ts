import assert from "node:assert/strict";
import { it } from "node:test";
import { type JobRow, jobOverlaps } from "./scale-workers.ts";

const job = (firm: string, start: number, end: number | null): JobRow => ({
  firm_id: firm,
  kind: "pass",
  process_id: "p",
  started_at: String(start),
  finished_at: end === null ? null : String(end),
  outcome: end === null ? null : "ok",
});

it("finds a firm's jobs that overlap or never ended, and lets different firms' jobs overlap", () => {
  assert.deepEqual(jobOverlaps([job("a", 0, 10), job("b", 5, 15), job("a", 10, 20)]), []);
  assert.deepEqual(jobOverlaps([job("a", 0, 10), job("a", 9, 20)]), ["a: job 1 started before job 0 ended"]);
  assert.deepEqual(jobOverlaps([job("a", 0, null)]), ["a: job 0 never ended"]);
});
