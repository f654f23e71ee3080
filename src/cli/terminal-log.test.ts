import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LexError } from "../core/errors.ts";
import { createLogger, memoryDestination } from "../core/logger.ts";
import { terminalLogLine } from "./terminal-log.ts";

describe("terminalLogLine", () => {
  it("turns a pino line into one readable line: level, message, the simple fields, the error", () => {
    const out = memoryDestination();
    const logger = createLogger({ destination: out }).child({ run: "run-1", provider: "qbo" });
    logger.warn(
      { call: "batch", pauses: 2, err: new LexError("qbo_rate_limited", "QuickBooks throttled") },
      "the pass is paused",
    );
    assert.equal(
      terminalLogLine(out.lines[0]!),
      "lexbridge: warning: the pass is paused: qbo_rate_limited QuickBooks throttled (call batch, pauses 2)",
    );
  });

  it("passes a line that is not JSON as it is", () => {
    assert.equal(terminalLogLine("plain text\n"), "plain text");
  });
});
