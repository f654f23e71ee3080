import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseQuery } from "../emulators/qbo/query-parser.ts";
import { escapeQueryString, qboQuery } from "./query-builder.ts";

describe("query builder", () => {
  it("escapes backslash then quote, and writes ORDERBY/STARTPOSITION/MAXRESULTS", () => {
    assert.equal(escapeQueryString("a\\'b"), "a\\\\\\'b");
    const q = qboQuery("Customer")
      .where("DisplayName", "=", "O'Brien")
      .where("Active", "IN", [true, false])
      .orderBy("Id", "DESC")
      .page(1, 1000);
    assert.equal(
      q.toString(),
      "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien' AND Active IN (true, false) ORDERBY Id DESC STARTPOSITION 1 MAXRESULTS 1000",
    );
    assert.throws(() => qboQuery("Customer").where("Name'; --", "=", "x"));
  });

  it("any string survives the round trip through the emulator's parser", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseQuery(qboQuery("Customer").where("DisplayName", "=", s).toString());
        assert.equal(parsed.where[0]?.value, s);
      }),
    );
  });
});
