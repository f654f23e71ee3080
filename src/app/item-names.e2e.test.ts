import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { silentLogger } from "../core/logger.ts";
import { DEFAULT_ITEM_NAMES, ensureItems, readItemNames } from "../engine/setup-items.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { createEngine, type EngineHandle } from "./engine-factory.ts";

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
