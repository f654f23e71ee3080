import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { Command } from "commander";
import { LexError } from "../core/errors.ts";
import { main } from "./main.ts";

/** Runs `main` on a program of one command whose action throws `thrown`; returns what it printed. */
async function failWith(thrown: unknown): Promise<{ stderr: string; exitCode: unknown }> {
  const program = new Command("lexbridge").exitOverride();
  program.command("boom").action(() => {
    throw thrown;
  });
  let stderr = "";
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    await main(["node", "lexbridge", "boom"], () => program);
  } finally {
    process.stderr.write = write;
  }
  return { stderr, exitCode: process.exitCode };
}

describe("the entry point's last resort", () => {
  afterEach(() => {
    process.exitCode = 0;
  });

  it("reports a defect as internal_error with the fix to report it, and no stack", async () => {
    const { stderr, exitCode } = await failWith(
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    );
    assert.equal(
      stderr.split("\n")[0],
      "lexbridge: [internal_error] Unexpected failure (TypeError: Cannot read properties of undefined (reading 'id'))",
    );
    assert.match(stderr, /^ {2}fix: Report it, with the log file/m);
    assert.doesNotMatch(stderr, /^\s+at /m);
    assert.equal(exitCode, 1);
  });

  it("prints a LexError with its code and exits 2 for a setting, 1 otherwise", async () => {
    const config = await failWith(
      new LexError("store_locked", "Another lexbridge process (pid 7) is using it"),
    );
    assert.match(config.stderr, /^lexbridge: \[store_locked\] Another lexbridge process \(pid 7\)/);
    assert.equal(config.exitCode, 2);
    const transient = await failWith(new LexError("http_timeout", "GET /x timed out"));
    assert.equal(transient.exitCode, 1);
  });
});
