import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { generateFirm } from "../emulators/generator/index.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";

const run = promisify(execFile);
const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

describe("lexbridge sync --dry-run --json (a real process against both emulators)", () => {
  let pair: EmulatorPair;
  before(async () => {
    const firm = generateFirm({ size: "small", seed: 1 });
    pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  });
  after(async () => pair?.close());

  it("lists the planned creates, links and updates, and writes nothing", async () => {
    const before = JSON.stringify(pair.qbo.emulator.exportState({ volatile: false }));
    const clioBefore = JSON.stringify(pair.clio.emulator.exportState().tables);
    const { stdout } = await run(process.execPath, [bin, "sync", "--dry-run", "--json", ...pair.cliFlags]);
    const summary = JSON.parse(stdout) as {
      dryRun: boolean;
      plan: Array<{ phase: string; action: string }>;
      written: { sent: number };
    };
    assert.equal(summary.dryRun, true);
    assert.equal(summary.written.sent, 0);
    const actions = new Set(summary.plan.map((p) => `${p.phase} ${p.action}`));
    for (const expected of [
      "customer create",
      "customer link",
      "customer update",
      "invoice create",
      "payment create",
    ])
      assert.ok(actions.has(expected), `plan has ${expected}`);
    assert.ok(summary.plan.filter((p) => p.phase === "invoice").length > 10);
    assert.equal(JSON.stringify(pair.qbo.emulator.exportState({ volatile: false })), before, "QBO unchanged");
    assert.equal(JSON.stringify(pair.clio.emulator.exportState().tables), clioBefore, "Clio unchanged");
  });

  it("a real pass then counts one attempt per item, and plans each write once", async () => {
    const { stdout } = await run(process.execPath, [bin, "sync", "--once", "--json", ...pair.cliFlags]);
    const summary = JSON.parse(stdout) as { plan: Array<{ phase: string; action: string; clioId: string }> };
    const writes = summary.plan
      .filter((p) => ["create", "update", "void", "delete", "update_clio", "propose"].includes(p.action))
      .map((p) => `${p.phase} ${p.action} ${p.clioId}`);
    assert.equal(new Set(writes).size, writes.length, "no write or proposal listed twice");
    const status = await run(process.execPath, [bin, "status", "--each", "--json", ...pair.cliFlags]);
    const items = JSON.parse(status.stdout).items as Array<{ key: string; attempts: number }>;
    assert.ok(items.length > 0, "the generated firm raises items");
    assert.deepEqual(
      items.filter((i) => i.attempts !== 1).map((i) => `${i.key}: ${i.attempts}`),
      [],
      "one pass, one attempt",
    );
  });
});
