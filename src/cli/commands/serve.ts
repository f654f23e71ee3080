import type { Command } from "commander";
import { ChangeTrigger } from "../../app/change-trigger.ts";
import { ClioWebhookSubscriptions } from "../../app/clio-webhook-subscriptions.ts";
import { connectionStates } from "../../app/connection-states.ts";
import { loadConnection, secretBoxFor } from "../../app/connections.ts";
import { acquireDataDirLock } from "../../app/data-dir-lock.ts";
import { createEngine, type EngineHandle } from "../../app/engine-factory.ts";
import { ServeMetrics } from "../../app/metrics.ts";
import { openFirmStore } from "../../app/open-store.ts";
import { PassRunner } from "../../app/pass-runner.ts";
import { clioWebhookUrl, webhookUrl } from "../../app/webhook-url.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import type { QboCustomerView } from "../../mapping/qbo-customer.ts";
import type { Store } from "../../store/port.ts";
import { ensureAdminPassword } from "../../web/admin-password.ts";
import { createWebApp } from "../../web/app.ts";
import { isLoopback, servedHostnames } from "../../web/host-check.ts";
import { listen } from "../../web/server.ts";
import { cliLogger } from "../cli-logger.ts";
import { addConfigOptions } from "../config-options.ts";
import { commandConfig } from "../context.ts";
import { print } from "../output.ts";
import { waitForSignal } from "./emulate.ts";
import { syncOnce, unwatchedPass } from "./sync.ts";

export interface ServeHandle {
  url: string;
  store: Store;
  runner: PassRunner;
  metrics: ServeMetrics;
  /** Passes started by webhook deliveries. */
  changes: ChangeTrigger;
  /** The Clio webhook subscriptions, once the first pass made them (publicUrl set). */
  clioSubscriptions(): ClioWebhookSubscriptions | undefined;
  stop(): Promise<void>;
}

/** How long a webhook delivery's fingerprint is kept: longer than Clio's and Intuit's retries of one. */
const WEBHOOK_DEDUP_TTL_MS = 7 * 86_400_000;

/**
 * The long-running mode: the dashboard on host:port and a sync pass every interval, in one process
 * holding the data dir's lock, on one store shared by the passes and the pages. The engine is made
 * at the first pass that can make it: until both providers are connected the dashboard still
 * serves (Connections shows what is missing) and each interval tries again.
 */
export async function startServe(
  installation: Config,
  logger: Logger,
  options: {
    host: string;
    adminPassword: string | undefined;
    clock?: Clock;
    /** Benchmarks only: a fetch that counts the engine's calls. */
    fetch?: typeof fetch;
  },
): Promise<ServeHandle> {
  const clock = options.clock ?? systemClock;
  const lock = acquireDataDirLock(installation.dataDir);
  // In scale mode (--firm) the firm's settings over the installation's; serving many firms is to come.
  const { store, config } = await openFirmStore(installation);
  const clioHookUrl = clioWebhookUrl(config);
  try {
    const source = await ensureAdminPassword(store, options.adminPassword, clock.now());
    if (source === "from_env") logger.info("admin password set from LEXBRIDGE_ADMIN_PASSWORD");
    const box = secretBoxFor(config);
    const metrics = new ServeMetrics(store);
    let engine: EngineHandle | undefined;
    let subscriptions: ClioWebhookSubscriptions | undefined;
    const runner = new PassRunner(
      async () => {
        const started = clock.now();
        try {
          engine ??= await createEngine(config, logger, {
            store,
            clock,
            onRateLimitWait: (provider, ms) => metrics.rateLimitWait(provider, ms),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          });
          if (clioHookUrl && !subscriptions) {
            subscriptions = new ClioWebhookSubscriptions({
              client: engine.clioClient,
              store,
              box,
              clock,
              logger: logger.child({ component: "clio-webhooks" }),
              url: clioHookUrl,
            });
            await subscriptions.start();
          }
          const outcome = await syncOnce(engine.deps, unwatchedPass, { dryRun: false });
          metrics.passFinished(true, (clock.now() - started) / 1000, outcome);
          return outcome;
        } catch (error) {
          metrics.passFinished(false, (clock.now() - started) / 1000, undefined);
          throw error;
        }
      },
      clock,
      logger,
    );
    const changes = new ChangeTrigger({
      runner,
      clock,
      logger,
      onCovered: (provider, ms) => metrics.changeLatency(provider, ms / 1000),
    });
    const verifierToken = config.qboWebhookVerifierToken;
    const app = createWebApp({
      store,
      clock,
      logger,
      runner,
      readQboCustomer: async (id) => {
        if (!engine) return undefined;
        const read = await engine.deps.qbo.read("Customer", id);
        return read.ok ? (read.value as QboCustomerView) : undefined;
      },
      connectionStates: () => connectionStates(config, store, clock.now()),
      trustProxy: Boolean(config.trustProxy),
      ...(isLoopback(options.host) ? { allowedHostnames: servedHostnames(config.publicUrl) } : {}),
      webhooks: {
        store,
        clock,
        logger: logger.child({ component: "webhooks" }),
        trustProxy: Boolean(config.trustProxy),
        dedupTtlMs: WEBHOOK_DEDUP_TTL_MS,
        clio: clioHookUrl
          ? () => ({
              secrets: subscriptions?.list() ?? [],
              expectingHandshake: subscriptions?.expectingHandshake() ?? false,
            })
          : undefined,
        qbo: verifierToken
          ? { verifierToken, connectedRealm: async () => (await loadConnection(store, box, "qbo"))?.realmId }
          : undefined,
        onChange: (provider, receivedAt, records) =>
          changes.notify(
            receivedAt,
            records.map((r) => ({ provider, ...r })),
          ),
        onOutcome: (provider, outcome) => metrics.delivery(provider, outcome),
      },
      metrics: { metrics, token: config.metricsToken },
      webhookStatus: () => ({
        ...(clioHookUrl ? { clio: subscriptions?.list() ?? [] } : {}),
        ...(verifierToken
          ? {
              qboEndpoint: webhookUrl(config, "qbo")?.href ?? "https://<serve's public address>/webhooks/qbo",
            }
          : {}),
      }),
    });
    const server = await listen(app.fetch, options.host, config.port);
    runner.startEvery(config.syncIntervalSeconds * 1000);
    return {
      url: server.url,
      store,
      runner,
      metrics,
      changes,
      clioSubscriptions: () => subscriptions,
      stop: async () => {
        changes.stop();
        await subscriptions?.stop();
        await server.close();
        await runner.stop();
        await engine?.close();
        await store.close();
        lock.release();
      },
    };
  } catch (error) {
    await store.close();
    lock.release();
    throw error;
  }
}

export function registerServe(program: Command): void {
  addConfigOptions(
    program
      .command("serve")
      .description("serve the dashboard and sync every interval until stopped (Ctrl+C)")
      .option(
        "--host <host>",
        "interface to listen on; another than 127.0.0.1 exposes the login page",
        "127.0.0.1",
      )
      .option("--json", "print the dashboard's address as JSON"),
  ).action(async (opts, command: Command) => {
    const config = commandConfig(command);
    const handle = await startServe(config, cliLogger(config), {
      host: opts.host,
      adminPassword: process.env.LEXBRIDGE_ADMIN_PASSWORD,
    });
    print(opts.json, { url: handle.url, user: "admin" }, [
      `Dashboard: ${handle.url}  (user admin)`,
      `Syncing every ${config.syncIntervalSeconds} s. Ctrl+C stops.`,
    ]);
    await waitForSignal();
    await handle.stop();
  });
}
