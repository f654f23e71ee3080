import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { normalizeQboExport } from "../testing/normalize-qbo.ts";
import { createEngine } from "./engine-factory.ts";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;
const FIRM = { size: "medium" as const, seed: 11 };

/** 10 % of API calls fail, mixed: throttles, server errors, timeouts, resets, and answers lost after the write. */
const QBO_FAULTS = [
  // Besides the random ones, the first batches of writes are carried out and their answers lost:
  // the case that duplicates records unless every write is replayed under its request id.
  { kind: "lost", path: "/batch", count: 4 },
  // With a Retry-After of 1 s: without one a client waits Intuit's 60 s per throttle (proven on a
  // FakeClock in src/qbo/throttle.test.ts), which would stretch this wall-clock run to hours.
  { kind: "429", rate: 0.02, retryAfter: 1 },
  { kind: "500", rate: 0.015 },
  { kind: "503", rate: 0.015 },
  { kind: "timeout", rate: 0.01, delayMs: 1500 },
  { kind: "reset", rate: 0.01 },
  { kind: "lost", rate: 0.03 },
];
const CLIO_FAULTS = [
  { kind: "429", rate: 0.03 },
  { kind: "500", rate: 0.02 },
  { kind: "503", rate: 0.02 },
  { kind: "timeout", rate: 0.01, delayMs: 1500 },
  { kind: "reset", rate: 0.02 },
];

/** A seeded generator for the kill times, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `lexbridge sync --once` as its own process; kills it with SIGKILL after `killAfterMs` if given. */
function syncProcess(
  pair: EmulatorPair,
  killAfterMs?: number,
): Promise<{ code: number | null; killed: boolean; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, "sync", "--once", "--json", ...pair.cliFlags, "--http-timeout-ms", "1000"],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    let stdout = "";
    let killed = false;
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.kill("SIGKILL");
          }, killAfterMs);
    child.on("exit", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stdout });
    });
  });
}

describe("faults and kills: the final QBO state equals a fault-free run", () => {
  let reference: EmulatorPair;
  let faulty: EmulatorPair;

  before(async () => {
    const firm = generateFirm(FIRM);
    reference = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
    faulty = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  });

  after(async () => {
    await reference?.close();
    await faulty?.close();
  });

  it("with 10% of calls failing and the process killed at least 10 times: no duplicate, nothing missing", async () => {
    const engine = await createEngine(reference.config, silentLogger);
    await runSyncPass(engine.deps);
    const settled = await runSyncPass(engine.deps);
    assert.equal(settled.written.sent, 0);
    await engine.close();
    const expected = normalizeQboExport(
      reference.qbo.emulator.exportState({ volatile: false }),
      reference.qbo.defaultRealmId,
    );

    await faulty.qboAdmin("PUT", "/faults", {
      seed: 5 + Number(process.env.LEXBRIDGE_FAULT_SEED ?? 0),
      rules: QBO_FAULTS,
    });
    await faulty.clioAdmin("PUT", "/faults", { seed: 6, rules: CLIO_FAULTS });
    const random = prng(Number(process.env.LEXBRIDGE_FAULT_SEED ?? 42));
    let kills = 0;
    for (let i = 0; i < 40 && kills < 12; i++) {
      const result = await syncProcess(faulty, 300 + Math.floor(random() * 2500));
      if (result.killed) kills++;
    }
    assert.ok(kills >= 10, `killed ${kills} times`);

    // Then let it run to the end, faults still on, until a pass completes with nothing left to write.
    let done = false;
    for (let i = 0; i < 30 && !done; i++) {
      const result = await syncProcess(faulty);
      if (result.code !== 0) continue;
      const summary = JSON.parse(result.stdout) as { written: { sent: number } };
      done = summary.written.sent === 0;
    }
    assert.ok(done, "a complete pass with nothing to write was reached");
    const actual = normalizeQboExport(
      faulty.qbo.emulator.exportState({ volatile: false }),
      faulty.qbo.defaultRealmId,
    );
    for (const type of Object.keys(expected)) {
      assert.deepEqual(actual[type], expected[type], `${type} records equal the fault-free run`);
    }
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  });
});
