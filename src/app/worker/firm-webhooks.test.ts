import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { systemClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/logger.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { WebhookRoutes } from "../../store/postgres/webhook-routes.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../../testing/postgres-schema.ts";
import {
  connectFirmQbo,
  type ScaleFirms,
  startScaleFirms,
  TEST_INSTALLATION_KEY,
} from "../../testing/scale-firms.ts";
import { readClioSubscriptions } from "../clio-webhook-subscriptions.ts";
import { secretBoxFor } from "../connections.ts";
import { createEngine } from "../engine-factory.ts";
import { firmConfig } from "../firm-settings.ts";
import { keepFirmWebhooks } from "./firm-webhooks.ts";

describe("a worker keeps the firm's webhooks routed to it", () => {
  let scale: ScaleFirms;
  let schema: TestSchema;
  let database: PostgresDatabase;
  before(async () => {
    process.env.LEXBRIDGE_SECRET_KEY = TEST_INSTALLATION_KEY;
    scale = await startScaleFirms(1);
    schema = await createTestSchema();
    database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
  });
  after(async () => {
    await database.close();
    await schema.drop();
    await scale.close();
  });

  it("records its QBO company and the Clio subscriptions it made, which serve then routes to it", async () => {
    const [firm] = scale.firms;
    const record = { id: firm!.id, name: firm!.id, settings: firm!.settings, createdAt: 1 };
    await new FirmRegistry(database.pool).add(record);
    const store = database.storeFor(firm!.id);
    await connectFirmQbo(scale, firm!, store);
    // Nothing answers at the public address: Clio's handshake fails and the subscription is activated with its secret.
    const config = firmConfig({ ...scale.config, publicUrl: "http://127.0.0.1:9" }, record);
    const engine = await createEngine(config, silentLogger, { store, dataDirLock: false });
    try {
      await keepFirmWebhooks(engine, config, database.pool, {
        firmId: firm!.id,
        clock: systemClock,
        logger: silentLogger,
      });
    } finally {
      await engine.close();
    }
    const routes = new WebhookRoutes(database.pool);
    assert.equal(await routes.firmOfQboRealm(firm!.realmId), firm!.id);
    const subscriptions = await readClioSubscriptions(store, secretBoxFor(config));
    assert.deepEqual(subscriptions.map((s) => s.model).sort(), ["bill", "contact"]);
    for (const s of subscriptions) {
      assert.equal(s.status, "enabled");
      assert.equal(await routes.firmOfClioWebhook(s.id), firm!.id);
    }
    assert.equal(await routes.firmOfClioWebhook(999_999), undefined);
  });
});
