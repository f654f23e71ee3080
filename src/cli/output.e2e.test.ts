import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { generateFirm } from "../emulators/generator/index.ts";
import { runCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { logFilePath } from "./cli-logger.ts";

describe("sync --once output: logs in the data dir, a summary on the terminal", () => {
  let pair: EmulatorPair;

  before(async () => {
    const firm = generateFirm({ size: "small", seed: 2 });
    pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  });

  after(async () => {
    await pair?.close();
  });

  it("writes no JSON line to stderr, every request to the log file, and a summary in words", async () => {
    const result = await runCli(["sync", "--once", ...pair.cliFlags, "--log-level", "info"]);
    assert.equal(result.code, 0, result.stderr);
    const jsonOnStderr = result.stderr.split("\n").filter((l) => l.trimStart().startsWith("{"));
    assert.deepEqual(jsonOnStderr, [], "no JSON log line on the terminal");
    // Warnings still reach the terminal, as readable lines.
    for (const line of result.stderr.split("\n").filter(Boolean))
      assert.match(line, /^lexbridge: (warning|error): /);

    const log = readFileSync(logFilePath(pair.config.dataDir), "utf8").split("\n").filter(Boolean);
    const records = log.map((l) => JSON.parse(l) as { msg: string; level: number });
    assert.ok(records.filter((r) => r.msg === "http request").length > 10, `${log.length} log lines`);
    assert.ok(records.some((r) => r.msg === "sync step"));

    assert.match(result.stdout, /^Sync finished in [\d.]+ s\.$/m);
    assert.match(result.stdout, /^ {2}Sent \d+ invoices/m);
  });
});
