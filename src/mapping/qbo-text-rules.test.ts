import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MappingNote } from "./mapping-issue.ts";
import { cutToLength, qboLength } from "./qbo-text-length.ts";
import { cleanLine, cleanName, cleanText, truncate } from "./qbo-text-rules.ts";

const FAMILY = "👨‍👩‍👧"; // three emoji joined by ZWJ: 8 UTF-16 units, one grapheme
const FLAG = "🇫🇷"; // two regional indicators: 4 units, one grapheme
const ACCENTED = "е\u0301\u0308"; // a letter with two combining marks: 3 units, one grapheme

describe("measuring and cutting text for QuickBooks", () => {
  it("measures in UTF-16 units: an emoji outside the BMP counts 2", () => {
    assert.equal(qboLength("abc"), 3);
    assert.equal(qboLength("😀"), 2);
    assert.equal(qboLength(FAMILY), 8);
  });

  const cuts: Array<[string, string, number, string]> = [
    ["keeps text that fits", "abc", 3, "abc"],
    ["never splits a surrogate pair", "a😀", 2, "a"],
    ["never splits a ZWJ sequence", `ab${FAMILY}`, 9, "ab"],
    ["keeps a ZWJ sequence that fits whole", `ab${FAMILY}c`, 10, `ab${FAMILY}`],
    ["never splits a flag", `x${FLAG}`, 4, "x"],
    ["never separates a letter from its combining marks", `x${ACCENTED}`, 3, "x"],
    ["leaves out a cluster longer than the limit by itself", `a${"\u0301".repeat(10)}`, 5, ""],
  ];
  for (const [what, text, max, expected] of cuts) {
    it(what, () => {
      const cut = cutToLength(text, max);
      assert.equal(cut, expected);
      assert.ok(qboLength(cut) <= max);
    });
  }
});

describe("cleaning text QuickBooks refuses", () => {
  it("turns ':', tabs, line breaks and every control character in a name into one space", () => {
    const notes: MappingNote[] = [];
    const raw = "Smith:\u0000Jones\u0085&\u2028Partners\u000bLLP\u009f\u2029Co\r\n";
    assert.equal(cleanName(raw, "CompanyName", notes, 100), "Smith Jones & Partners LLP Co");
    assert.deepEqual(
      notes.map((n) => n.code),
      ["name_characters"],
    );
  });

  it("records nothing for a name that needs no cleaning", () => {
    const notes: MappingNote[] = [];
    assert.equal(cleanName("  Zoë 👩‍⚖️ Núñez ", "GivenName", notes, 100), "Zoë 👩‍⚖️ Núñez");
    assert.deepEqual(notes, []);
  });

  it("makes one-line values one line, and drops lone surrogates", () => {
    const notes: MappingNote[] = [];
    assert.equal(
      cleanLine("1 Main St\r\n  Suite 2\u0000", "BillAddr.Line1", notes, 500),
      "1 Main St Suite 2",
    );
    assert.equal(cleanLine("555\ud800-0100", "PrimaryPhone", notes, 30), "555-0100");
    assert.deepEqual(
      notes.map((n) => [n.code, n.field]),
      [
        ["text_characters", "BillAddr.Line1"],
        ["text_characters", "PrimaryPhone"],
      ],
    );
  });

  it("keeps newlines in descriptions, turns other line ends into newlines, removes the rest", () => {
    const notes: MappingNote[] = [];
    const raw = "Research\r\n\tcases\u2028memo\u0085call\u000cfax\u0007\udc00";
    assert.equal(cleanText(raw, "line 1 description", notes, 4000), "Research\r\n\tcases\nmemo\ncall\nfax");
    assert.equal(notes[0]?.code, "text_characters");
    const untouched: MappingNote[] = [];
    assert.equal(cleanText("Line one\nLine two", "PrivateNote", untouched, 4000), "Line one\nLine two");
    assert.deepEqual(untouched, []);
  });

  it("shortens at a grapheme boundary and says by how much", () => {
    const notes: MappingNote[] = [];
    const out = truncate(`${"😀".repeat(60)}`, "CompanyName", notes, 100);
    assert.equal(out, "😀".repeat(50));
    assert.equal(notes[0]?.code, "truncated");
    assert.match(notes[0]!.message, /from 120 to 100 characters to fit QuickBooks' limit of 100/);
  });
});
