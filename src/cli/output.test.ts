import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { printableLines } from "./output.ts";

describe("text output", () => {
  it("shows a control character typed into a name as a space, so it cannot break the layout or the terminal", () => {
    assert.deepEqual(printableLines(["Tab\tSeparated Person", "Line\nBreak \u001b[31mred\u009b"]), [
      "Tab Separated Person",
      "Line Break  [31mred ",
    ]);
  });
});
