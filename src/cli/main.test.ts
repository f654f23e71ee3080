import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import packageJson from "../../package.json" with { type: "json" };

const run = promisify(execFile);
const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

describe("lexbridge CLI", () => {
  it("prints its version and exits 0", async () => {
    const { stdout } = await run(process.execPath, [bin, "--version"]);
    assert.equal(stdout.trim(), packageJson.version);
  });

  it("prints help with the configuration derived from the schema", async () => {
    const { stdout } = await run(process.execPath, [bin, "--help"]);
    assert.match(stdout, /Usage: lexbridge/);
    assert.match(stdout, /LEXBRIDGE_SYNC_INTERVAL_SECONDS\s+--sync-interval-seconds/);
  });

  it("lists each command's own options first and the shared settings under their own heading", async () => {
    for (const command of ["sync", "status", "audit", "reconcile", "match list"]) {
      const { stdout } = await run(process.execPath, [bin, ...command.split(" "), "--help"]);
      const own = stdout.indexOf("\nOptions:\n");
      const shared = stdout.indexOf(
        "\nShared settings (flags > environment > config file > dashboard settings > defaults):\n",
      );
      assert.ok(own >= 0 && shared > own, `${command}: own options, then the shared settings`);
      assert.ok(stdout.indexOf("--json") < shared, `${command}: --json among its own options`);
      assert.ok(stdout.indexOf("--data-dir") > shared, `${command}: --data-dir among the shared settings`);
    }
  });

  it("says reconcile's exit status in its help", async () => {
    const { stdout } = await run(process.execPath, [bin, "reconcile", "--help"]);
    assert.match(stdout, /Exit status: 0 everything agrees; 3 the comparison ran and found differences/);
  });

  it("exits non-zero on an unknown command", async () => {
    await assert.rejects(run(process.execPath, [bin, "no-such-command"]), (e: { code?: number }) => {
      assert.notEqual(e.code, 0);
      return true;
    });
  });

  it("runs on Node 24", () => {
    assert.equal(process.versions.node.split(".")[0], "24");
  });
});

describe("lexbridge CLI errors", () => {
  it("ends with the error code and message, not a stack trace, and a non-zero exit", async () => {
    await assert.rejects(
      run(process.execPath, [bin, "status", "--sync-interval-seconds", "soon"], {
        env: { ...process.env, LEXBRIDGE_DATA_DIR: "/tmp/lexbridge-cli-test" },
      }),
      (e: { code?: number; stderr?: string }) => {
        assert.equal(e.code, 2);
        assert.match(
          e.stderr ?? "",
          /^lexbridge: \[config_invalid\] Invalid configuration: syncIntervalSeconds/,
        );
        assert.doesNotMatch(e.stderr ?? "", /at .*\.ts:\d+/);
        return true;
      },
    );
  });
});
