import { readClioSubscriptions } from "../../app/clio-webhook-subscriptions.ts";
import { connectionStates } from "../../app/connection-states.ts";
import { loadConnection, type ProviderName, secretBoxFor } from "../../app/connections.ts";
import { DashboardConnect } from "../../app/dashboard-connect.ts";
import { createEngine, type EngineHandle } from "../../app/engine-factory.ts";
import { firmConfig } from "../../app/firm-settings.ts";
import type { FirmJobQueue } from "../../app/scale-serve/firm-job-queue.ts";
import { FirmJobRunner } from "../../app/scale-serve/firm-job-runner.ts";
import { ServeSettings } from "../../app/serve-settings.ts";
import { webhookUrl } from "../../app/webhook-url.ts";
import type { Clock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import type { QboCustomerView } from "../../mapping/qbo-customer.ts";
import { tryFirmLock } from "../../store/postgres/firm-lock.ts";
import type { FirmRecord, FirmRegistry } from "../../store/postgres/firm-registry.ts";
import type { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import type { WebhookRoutes } from "../../store/postgres/webhook-routes.ts";
import type { WebAppDeps } from "../app.ts";
import type { WebhookStatus } from "../pages/connections.ts";

/** What scale mode's dashboard shares between its firms. */
export interface ScaleDashboardDeps {
  /** The installation's configuration (each firm's settings are laid over it). */
  installation: Config;
  database: PostgresDatabase;
  registry: FirmRegistry;
  routes: WebhookRoutes;
  /** The firms' job queue (the workers take them): serve only adds jobs and watches for their end. */
  queue: Pick<FirmJobQueue, "add" | "ended">;
  clock: Clock;
  logger: Logger;
  trustProxy: boolean;
  /** Where the providers send the browser back (known once serve listens). */
  redirectUri(): string;
}

/** One firm's dashboard in scale mode: its pages' dependencies, read fresh before each request. */
export interface FirmDashboard {
  firmId: string;
  name(): string;
  deps: WebAppDeps;
  connect: DashboardConnect;
  /** Before a request: the firm's row (its settings), its jobs and its webhooks as they are now. */
  refresh(): Promise<void>;
  /** After a request: its settings written, and what it opened let go (an engine to read QuickBooks, the firm's lock). */
  settle(): Promise<void>;
}

/**
 * After a firm's connection changed (connected or disconnected on the dashboard): webhooks for its
 * QBO company go to it (or no longer), and its next pass is queued now (the workers run it).
 */
export async function connectionChanged(
  shared: ScaleDashboardDeps,
  firmId: string,
  config: Config,
  provider: ProviderName,
): Promise<void> {
  const store = shared.database.storeFor(firmId);
  if (provider === "qbo") {
    // Connected: its company's deliveries come here; disconnected: they are no longer the firm's.
    const qbo = await loadConnection(store, secretBoxFor(config), "qbo");
    await shared.routes.setQboRealm(firmId, qbo?.realmId, shared.clock.now());
  }
  await shared.queue.add({ firmId, kind: "pass" });
}

/**
 * The dependencies of one firm's pages in scale mode. Passes, re-syncs and reconciliations are
 * queued for the workers (FirmJobRunner), never run here; there is no live progress or rate
 * headroom (they live in the worker running the job). Settings are kept in the firm's row.
 * Reading a QuickBooks customer for match review takes the firm's lock (no worker's job runs for
 * the firm meanwhile, so no two processes refresh its tokens at once); when a job holds it, the
 * page shows the QuickBooks id alone.
 */
export function firmDashboard(shared: ScaleDashboardDeps, initial: FirmRecord): FirmDashboard {
  const firmId = initial.id;
  let firm = initial;
  const store = shared.database.storeFor(firmId);
  const logger = shared.logger.child({ firm: firmId });
  const configNow = () => ({ ...firmConfig(shared.installation, firm), redirectUri: shared.redirectUri() });
  const runner = new FirmJobRunner(firmId, shared.queue, shared.database.pool);
  let savingSettings: Promise<unknown> = Promise.resolve();
  const settings = new ServeSettings({ ...shared.installation, firm: firmId }, logger, undefined, {
    read: () => firm.settings,
    write: (values) => {
      firm = { ...firm, settings: values };
      savingSettings = shared.registry
        .setSettings(firmId, values)
        .catch((error: unknown) => logger.error({ err: error }, "the firm's settings could not be saved"));
    },
  });
  let webhooks: WebhookStatus = {};
  let reading: { engine: Promise<EngineHandle | undefined>; release(): Promise<void> } | undefined;
  // Requests of this firm's pages in flight: the engine opened for one is closed after the last.
  let inFlight = 0;
  const qboReader = async (): Promise<EngineHandle | undefined> => {
    const lock = await tryFirmLock(shared.database.pool, firmId);
    if (!lock) return undefined;
    const engine = createEngine(configNow(), logger, {
      store,
      clock: shared.clock,
      dataDirLock: false,
    }).catch(() => undefined);
    reading = {
      engine,
      release: async () => {
        await (await engine)?.close();
        await lock.release();
      },
    };
    return engine;
  };
  const connect = new DashboardConnect({
    config: configNow,
    store,
    clock: shared.clock,
    onChanged: (provider) => {
      void connectionChanged(shared, firmId, configNow(), provider).catch((error: unknown) =>
        logger.error({ err: error }, "queuing the pass after a new connection failed"),
      );
    },
  });
  const deps: WebAppDeps = {
    store,
    clock: shared.clock,
    logger,
    runner,
    trustProxy: shared.trustProxy,
    connect,
    settings,
    readQboCustomer: async (id) => {
      const engine = await (reading?.engine ?? qboReader());
      const read = await engine?.deps.qbo.read("Customer", id).catch(() => undefined);
      return read?.ok ? (read.value as QboCustomerView) : undefined;
    },
    connectionStates: () => connectionStates(configNow(), store, shared.clock.now()),
    reconcileNow: () => runner.run({ firmId, kind: "reconcile" }),
    webhookStatus: () => webhooks,
  };
  return {
    firmId,
    name: () => firm.name,
    deps,
    connect,
    refresh: async () => {
      inFlight += 1;
      await savingSettings;
      firm = (await shared.registry.get(firmId)) ?? firm;
      await runner.refresh();
      const config = configNow();
      const subscriptions = config.publicUrl
        ? await readClioSubscriptions(store, secretBoxFor(config)).catch(() => [])
        : undefined;
      webhooks = {
        ...(subscriptions ? { clio: subscriptions } : {}),
        ...(config.qboWebhookVerifierToken
          ? {
              qboEndpoint: webhookUrl(config, "qbo")?.href ?? "https://<serve's public address>/webhooks/qbo",
            }
          : {}),
      };
    },
    settle: async () => {
      // A saved setting is in the firm's row before the page that says so is answered.
      await savingSettings;
      inFlight -= 1;
      if (inFlight > 0) return;
      const done = reading;
      reading = undefined;
      await done?.release();
    },
  };
}
