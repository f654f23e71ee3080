import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sizeCappedLogFile } from "./log-file.ts";

describe("sizeCappedLogFile", () => {
  it("appends lines, rotates at the cap and keeps only the newest files, readable by the owner alone", () => {
    const path = join(mkdtempSync(join(tmpdir(), "lexbridge-log-")), "logs", "lexbridge.log");
    const file = sizeCappedLogFile(path, { maxBytes: 25, keep: 2 });
    for (const n of [1, 2, 3, 4, 5, 6]) file.write(`line ${n} ${"x".repeat(4)}\n`); // 12 bytes each
    file.close();
    // Two lines fit in 25 bytes: lines 1–2 went to .1, then .2; lines 3–4 to .1; 5–6 are current.
    assert.equal(readFileSync(path, "utf8"), "line 5 xxxx\nline 6 xxxx\n");
    assert.equal(readFileSync(`${path}.1`, "utf8"), "line 3 xxxx\nline 4 xxxx\n");
    assert.equal(readFileSync(`${path}.2`, "utf8"), "line 1 xxxx\nline 2 xxxx\n");
    assert.equal(existsSync(`${path}.3`), false);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, "..")).mode & 0o777, 0o700);
  });
});
