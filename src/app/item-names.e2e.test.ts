import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import { runPreflight } from "../engine/preflight.ts";
import { DEFAULT_ITEM_NAMES, ensureItems, readItemNames } from "../engine/setup-items.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle, engineSettings } from "./engine-factory.ts";

let pair: EmulatorPair;
let engine: EngineHandle;

before(async () => {
  pair = await startEmulatorPair();
  engine = await createEngine({ ...pair.config, servicesItemName: "Fees (Clio)" }, silentLogger);
});

after(async () => {
  await engine?.close();
  await pair?.close();
});

const itemNamed = (name: string) => {
  const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
  return Object.values(realm.records.Item ?? {}).find((r) => r.data.Name === name);
};

it("uses the items the settings name, and looks them up again when a name changes", async () => {
  const first = await ensureItems(engine.deps);
  assert.equal(first.services, String(itemNamed("Fees (Clio)")?.id), "servicesItemName");
  assert.equal(first.expenses, String(itemNamed(DEFAULT_ITEM_NAMES.expenses)?.id));
  assert.deepEqual(await ensureItems(engine.deps), first, "remembered");
  engine.deps.settings = {
    ...engine.deps.settings,
    itemNames: { ...engine.deps.settings.itemNames!, services: "Professional Fees" },
  };
  const renamed = await ensureItems(engine.deps);
  assert.equal(renamed.services, String(itemNamed("Professional Fees")?.id), "created under the new name");
  assert.notEqual(renamed.services, first.services);
  assert.equal(renamed.expenses, first.expenses, "the others are found again, not duplicated");
  assert.equal((await readItemNames(engine.deps)).services, "Professional Fees");
});

it("creates new items on the qboIncomeAccount; an account that is no active Income account is a coded error", async () => {
  const incomeOf = (name: string) =>
    (itemNamed(name)?.data.IncomeAccountRef as { value: string } | undefined)?.value;
  const accountId = (name: string) => {
    const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
    return Object.values(realm.records.Account ?? {}).find((r) => r.data.Name === name)?.id;
  };
  const before = await ensureItems(engine.deps);
  engine.deps.settings = {
    ...engine.deps.settings,
    incomeAccount: "Billable Expense Income",
    itemNames: { ...engine.deps.settings.itemNames!, tax: "Tax (Clio, by name)" },
  };
  const after = await ensureItems(engine.deps);
  assert.equal(incomeOf("Tax (Clio, by name)"), accountId("Billable Expense Income"), "by name");
  assert.equal(after.services, before.services, "an item that exists is used as it is");
  assert.notEqual(
    incomeOf("Professional Fees"),
    accountId("Billable Expense Income"),
    "and keeps its account",
  );

  engine.deps.settings = {
    ...engine.deps.settings,
    incomeAccount: String(accountId("Uncategorized Income")),
    itemNames: { ...engine.deps.settings.itemNames!, credit: "Credit (Clio, by id)" },
  };
  await ensureItems(engine.deps);
  assert.equal(incomeOf("Credit (Clio, by id)"), accountId("Uncategorized Income"), "by id");
  const fine = (await runPreflight(engine.deps)).find((c) => c.id === "income-account");
  assert.equal(fine?.status, "ok");

  for (const [wanted, message] of [
    ["Checking", /"Checking" is a Bank account; lexbridge's new items need an active Income account/],
    ["No Such Account", /QuickBooks has no account "No Such Account" \(the qboIncomeAccount setting\)/],
  ] as const) {
    engine.deps.settings = {
      ...engine.deps.settings,
      incomeAccount: wanted,
      itemNames: { ...engine.deps.settings.itemNames!, interest: `Interest for ${wanted}` },
    };
    await assert.rejects(ensureItems(engine.deps), (error: Error & { code?: string }) => {
      assert.equal(error.code, "sync_setup_failed");
      assert.match(error.message, message);
      return true;
    });
    assert.equal(itemNamed(`Interest for ${wanted}`), undefined, "no item is created");
    const doctor = (await runPreflight(engine.deps)).find((c) => c.id === "income-account");
    assert.equal(doctor?.status, "fail", "lexbridge doctor says so before a pass needs it");
    assert.match(doctor?.summary ?? "", message);
  }
});

it("takes the six item names and the income account from the configuration", () => {
  const config = loadConfig({
    flags: { dataDir: pair.config.dataDir },
    env: {
      LEXBRIDGE_TAX_ITEM_NAME: "GST collected",
      LEXBRIDGE_CREDIT_ITEM_NAME: "Credit notes",
      LEXBRIDGE_QBO_INCOME_ACCOUNT: "Services",
    },
  });
  const settings = engineSettings(config);
  assert.deepEqual(settings.itemNames, {
    ...DEFAULT_ITEM_NAMES,
    tax: "GST collected",
    credit: "Credit notes",
  });
  assert.equal(settings.incomeAccount, "Services");
  const defaults = engineSettings(loadConfig({ flags: { dataDir: pair.config.dataDir } }));
  assert.deepEqual(defaults.itemNames, DEFAULT_ITEM_NAMES, "the schema's defaults are the engine's");
  assert.equal(defaults.incomeAccount, undefined);
});
