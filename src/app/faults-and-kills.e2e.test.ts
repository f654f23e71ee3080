import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { normalizeQboExport } from "../testing/normalize-qbo.ts";
import { syncProcess } from "../testing/sync-process.ts";
import { createEngine } from "./engine-factory.ts";

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

/**
 * Where the kills land: process i is killed when the QBO emulator receives its KILL_AT[i]-th
 * request, so the same kills land at the same points on a slow machine and a fast one. A pass of
 * this firm sends ~10 reads, then its writes phase by phase — customers (~8 batches), accounts,
 * journal entries (~8), invoices (~13), credit memos and their applications (2), payments (~18).
 * Every batch of a phase is stored in the outbox before the first is sent, so a restarted process
 * first replays what its predecessor left, then reads CDC, then goes on to the next phase. So a
 * large N (14–22) lands in the next phase's writes, a small one (3) in the replay of the phase just
 * killed; alternating them puts two kills or more in each phase of writes, then the last kills in
 * the reads of passes with nothing left to write. The first process fails on its own at its first
 * request (an injected fault), before its kill.
 */
const KILL_AT = [14, 16, 3, 18, 3, 20, 3, 22, 3, 3, 10, 4, 6];
/** The phases of writes the kills must have hit (the label of the request each kill held). */
const PHASES_KILLED = ["Customer", "JournalEntry", "Invoice", "Payment"];

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

  it("with 10% of calls failing and the process killed at least 10 times: no duplicate, nothing missing", async (t) => {
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
    const kills: string[] = [];
    for (const [i, n] of KILL_AT.entries()) {
      if (kills.length === 12) break;
      const result = await syncProcess(faulty, n);
      t.diagnostic(
        `process ${i + 1}: ${result.killedAt ? `killed at request ${n}, ${result.killedAt.label}` : `exited (${result.code}) after ${result.labels.length} requests`}`,
      );
      if (result.killedAt) kills.push(result.killedAt.label);
    }
    assert.ok(kills.length >= 10, `killed ${kills.length} times`);
    for (const phase of PHASES_KILLED)
      assert.ok(
        kills.some((label) => label.startsWith("write ") && label.slice(6).split("+").includes(phase)),
        `a kill held a request writing ${phase}: ${kills.join(" | ")}`,
      );

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
