/**
 * Issue 14, class and location end to end: a QBO company that tracks a class on each line and a
 * location per transaction (Preferences AccountingInfoPrefs), with `qboClass` and `qboLocation`
 * set. Invoices and credit memos carry the location in their header and the class on their item
 * lines; trust journal entries carry both on every line; doctor reports the setup. A setting that
 * names no class stops the pass before anything is written.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { isLexError } from "../core/errors.ts";
import { silentLogger } from "../core/logger.ts";
import { runPreflight } from "../engine/preflight.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { buildHandFirm } from "../testing/hand-firm.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

type Row = Record<string, unknown>;
const ref = (v: unknown) => (v as { value?: string } | undefined)?.value;

async function trackingFirm(settings: Record<string, string>) {
  const pair = await startEmulatorPair();
  const ids = await buildHandFirm(pair);
  const matter = (await pair.clioAdmin("POST", "/matters", { client_id: ids.jane, description: "Trust" }))
    .data as Row;
  await pair.clioAdmin("POST", "/trust/deposits", {
    matter_id: matter.id,
    amount: "500",
    date: "2026-03-02",
  });
  const engine = await createEngine(loadConfig({ flags: { ...pair.config, ...settings } }), silentLogger);
  const realm = engine.deps.qbo.realmId;
  const prefs = await engine.deps.qbo.read("Preferences", "");
  assert.ok(prefs.ok);
  await pair.qboAdmin("PATCH", `/realms/${realm}/Preferences/1`, {
    AccountingInfoPrefs: {
      ...(prefs.value.AccountingInfoPrefs ?? {}),
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: true,
      TrackDepartments: true,
    },
  });
  const made: Record<string, string> = {};
  for (const [entity, Name] of [
    ["Class", "Litigation"],
    ["Class", "Estates"],
    ["Department", "Boston"],
  ] as const) {
    const r = await engine.deps.qbo.create(entity, { Name }, { requestId: `test-${entity}-${Name}` });
    assert.ok(r.ok);
    made[Name] = String(r.value.Id);
  }
  return { pair, engine, made };
}

async function all(engine: EngineHandle, entity: "Invoice" | "CreditMemo" | "JournalEntry") {
  const out: Row[] = [];
  for await (const r of engine.deps.qbo.queryAll(qboQuery(entity))) out.push(r as Row);
  return out;
}

describe("class and location", () => {
  const open: Array<{ pair: EmulatorPair; engine: EngineHandle }> = [];
  after(async () => {
    for (const { pair, engine } of open) {
      await engine.close();
      await pair.close();
    }
  });

  it("are sent where QuickBooks takes them when the company tracks them", async () => {
    const run = await trackingFirm({ qboClass: "Litigation", qboLocation: "Boston" });
    open.push(run);
    const { engine, made } = run;
    const doctor = await runPreflight(engine.deps);
    const status = (id: string) => doctor.find((c) => c.id === id);
    assert.equal(status("class-tracking")?.status, "ok");
    assert.match(
      status("class-tracking")?.summary ?? "",
      /a class on each line: lexbridge sends class "Litigation"/,
    );
    assert.equal(status("location-tracking")?.status, "ok");

    const pass = await runSyncPass(engine.deps);
    assert.equal(pass.written.failed, 0);
    const invoices = await all(engine, "Invoice");
    const memos = await all(engine, "CreditMemo");
    assert.ok(invoices.length > 0 && memos.length > 0);
    for (const doc of [...invoices, ...memos]) {
      assert.equal(ref(doc.DepartmentRef), made.Boston, `${doc.Id}: location in the header`);
      assert.equal(doc.ClassRef, undefined, "per line, not per transaction");
      for (const line of doc.Line as Row[])
        if (line.DetailType === "SalesItemLineDetail")
          assert.equal(ref((line.SalesItemLineDetail as Row).ClassRef), made.Litigation);
    }
    const entries = await all(engine, "JournalEntry");
    assert.equal(entries.length, 1);
    for (const line of entries[0]!.Line as Row[]) {
      const d = line.JournalEntryLineDetail as Row;
      assert.deepEqual([ref(d.ClassRef), ref(d.DepartmentRef)], [made.Litigation, made.Boston]);
    }
  });

  it("doctor says what breaks without the settings, and a setting naming no class stops the pass", async () => {
    const run = await trackingFirm({ qboClass: "Tax advice" });
    open.push(run);
    const doctor = await runPreflight(run.engine.deps);
    const cls = doctor.find((c) => c.id === "class-tracking");
    assert.equal(cls?.status, "fail");
    assert.match(cls?.summary ?? "", /no active class "Tax advice" \(the qboClass setting\)/);
    const loc = doctor.find((c) => c.id === "location-tracking");
    assert.equal(loc?.status, "warn");
    assert.match(loc?.impact ?? "", /QuickBooks files them as unclassified/);
    await assert.rejects(runSyncPass(run.engine.deps), (e) => isLexError(e, "sync_setup_failed"));
    assert.deepEqual(await all(run.engine, "Invoice"), [], "nothing was written");
  });
});
