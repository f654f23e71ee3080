import type { Command } from "commander";
import { ChangeTrigger, type TargetedOutcome } from "../../app/change-trigger.ts";
import { ClioWebhookSubscriptions } from "../../app/clio-webhook-subscriptions.ts";
import { connectionStates } from "../../app/connection-states.ts";
import { loadConnection, secretBoxFor } from "../../app/connections.ts";
import { DashboardConnect } from "../../app/dashboard-connect.ts";
import { acquireDataDirLock } from "../../app/data-dir-lock.ts";
import { createEngine, type EngineHandle, engineSettings } from "../../app/engine-factory.ts";
import { LiveProgress } from "../../app/live-progress.ts";
import { ServeMetrics } from "../../app/metrics.ts";
import { openFirmStore } from "../../app/open-store.ts";
import { defaultBudgets } from "../../app/pass-budgets.ts";
import { PassRunner } from "../../app/pass-runner.ts";
import { readQboChoices } from "../../app/qbo-choices.ts";
import { ServeSettings } from "../../app/serve-settings.ts";
import { clioWebhookUrl, webhookUrl } from "../../app/webhook-url.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { Config, ConfigSources } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import { reconcile } from "../../engine/reconcile.ts";
import { runSyncPass } from "../../engine/sync-pass.ts";
import type { SyncTargets } from "../../engine/targeted-reads.ts";
import type { QboCustomerView } from "../../mapping/qbo-customer.ts";
import type { Store } from "../../store/port.ts";
import { ensureAdminPassword } from "../../web/admin-password.ts";
import { createWebApp } from "../../web/app.ts";
import { isLoopback, servedHostnames } from "../../web/host-check.ts";
import { listen } from "../../web/server.ts";
import { cliLogger } from "../cli-logger.ts";
import { addConfigOptions, configSourcesFromCommand } from "../config-options.ts";
import { commandConfig } from "../context.ts";
import { print } from "../output.ts";
import { waitForSignal } from "./emulate.ts";
import { startScaleServe } from "./serve-scale.ts";
import { type PassWatcher, syncOnce, unwatchedPass } from "./sync.ts";

/** A watcher that also tells the dashboard's live progress what the pass does. */
function watchedBy(inner: PassWatcher, live: LiveProgress): PassWatcher {
  return {
    startPass() {
      const display = inner.startPass();
      return {
        onProgress: (event) => {
          display.onProgress(event);
          live.apply(event);
        },
        note: (label) => {
          display.note(label);
          live.note(label);
        },
        tracker: () => display.tracker(),
        stop: () => display.stop(),
      };
    },
    reconciling() {
      inner.reconciling();
      live.note("Reconciling Clio and QuickBooks");
    },
    endPass: () => inner.endPass(),
  };
}

export interface ServeHandle {
  url: string;
  /** Where the providers send the browser back to (the dashboard's /oauth/callback unless configured). */
  redirectUri: string;
  /** The passes' progress, as the dashboard shows it. */
  live: LiveProgress;
  store: Store;
  runner: PassRunner;
  metrics: ServeMetrics;
  /** The syncs webhook deliveries start (targeted, or the pass). */
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
    /**
     * Where `config` came from (the command's flags, environment and file): read again before
     * each pass, with the dashboard's settings, so a saved setting takes effect at the next pass.
     * Without it (in-process callers) `config` is the base under the dashboard's settings.
     */
    configSources?: ConfigSources;
    /** Who else watches the passes (the demo's terminal), besides the dashboard. */
    watcher?: PassWatcher;
    /** Ctrl+C: ends a running pass at once (the demo), rather than letting it finish. */
    stop?: AbortSignal;
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
    const settings = new ServeSettings(config, logger, options.configSources);
    let engine: EngineHandle | undefined;
    let subscriptions: ClioWebhookSubscriptions | undefined;
    // Set when a connection was made or forgotten on the dashboard: the next pass makes the
    // engine again from the store (passes never overlap, so none is using the old one then).
    let connectionsChanged = false;
    const live = new LiveProgress(() => clock.now(), defaultBudgets());
    const watcher = watchedBy(options.watcher ?? unwatchedPass, live);
    /** The engine (made once both providers are connected), with the settings as they are now. */
    const engineNow = async () => {
      const current = settings.current();
      engine ??= await createEngine(current, logger, {
        store,
        clock,
        onRateLimitWait: (provider, ms) => metrics.rateLimitWait(provider, ms),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.stop ? { stop: options.stop } : {}),
      });
      // The dashboard's settings saved since the last pass apply from this one.
      engine.deps.settings = engineSettings(current);
      return engine;
    };
    const runner = new PassRunner(
      async () => {
        const started = clock.now();
        live.passStarted();
        try {
          if (connectionsChanged) {
            connectionsChanged = false;
            await subscriptions?.stop();
            subscriptions = undefined;
            await engine?.close();
            engine = undefined;
          }
          engine = await engineNow();
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
          const outcome = await syncOnce(engine.deps, watcher, { dryRun: false });
          metrics.passFinished(true, (clock.now() - started) / 1000, outcome);
          live.passEnded();
          return outcome;
        } catch (error) {
          metrics.passFinished(false, (clock.now() - started) / 1000, undefined);
          live.passEnded(error instanceof Error ? error.message : String(error));
          throw error;
        }
      },
      clock,
      logger,
    );
    /**
     * A targeted sync of what webhooks named, in the runner's exclusive slot (never beside a pass).
     * Until a pass made the engine, or after a connection changed, the pass must run instead.
     */
    const runTargeted = (targets: SyncTargets, records: number): Promise<TargetedOutcome> =>
      runner.runExclusive(async () => {
        if (!engine || connectionsChanged) return { fallback: "the connections changed since the last pass" };
        const current = await engineNow();
        live.passStarted();
        live.note(`Webhook: targeted sync of ${records} record${records === 1 ? "" : "s"}`);
        try {
          const summary = await runSyncPass(current.deps, { targets, onProgress: (e) => live.apply(e) });
          const fallback = summary.targeted?.fallback;
          metrics.targetedFinished(fallback ? "fallback" : "ok", summary);
          live.passEnded();
          return fallback ? { fallback } : "done";
        } catch (error) {
          metrics.targetedFinished("failed", undefined);
          live.passEnded(error instanceof Error ? error.message : String(error));
          logger.error({ err: error }, "webhook: targeted sync failed; the next pass carries the change");
          return "failed";
        }
      });
    const changes = new ChangeTrigger({
      runner,
      runTargeted,
      clock,
      logger,
      onCovered: (provider, ms) => metrics.changeLatency(provider, ms / 1000),
    });
    const verifierToken = config.qboWebhookVerifierToken;
    let redirectUri = config.redirectUri ?? "";
    const dashboardConnect = new DashboardConnect({
      config: () => ({ ...config, redirectUri }),
      store,
      clock,
      onChanged: () => {
        connectionsChanged = true;
        // The initial sync of a new connection (or the end of the old one) starts at once.
        void runner.runNow();
      },
    });
    const app = createWebApp({
      connect: dashboardConnect,
      live,
      // Until a pass made the engine, no request went out: every budget is full.
      rateHeadroom: () =>
        engine
          ? { clio: engine.rateLimiters.clio.headroom(), qbo: engine.rateLimiters.qbo.headroom() }
          : { clio: [], qbo: [] },
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
      settings,
      // The company as the engine reaches it; none before a pass made the engine or after a
      // connection changed (the next pass makes it again).
      qboChoices: async () => (engine && !connectionsChanged ? readQboChoices(engine.deps.qbo) : undefined),
      reconcileNow: () =>
        runner.runExclusive(async () => reconcile((await engineNow()).deps, { raiseIssues: true })),
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
    // Unless configured, the providers send the browser back to this dashboard: on the port it
    // listens on, under the name `lexbridge connect` and the emulators use by default.
    redirectUri ||= `http://localhost:${new URL(server.url).port}/oauth/callback`;
    runner.startEvery(() => settings.current().syncIntervalSeconds * 1000);
    return {
      url: server.url,
      redirectUri,
      live,
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
      .description(
        "serve the dashboard and sync every interval until stopped (Ctrl+C); with --database-url, the dashboard of every firm (the workers sync)",
      )
      .option(
        "--host <host>",
        "interface to listen on; another than 127.0.0.1 exposes the login page",
        "127.0.0.1",
      )
      .option("--json", "print the dashboard's address as JSON"),
  ).action(async (opts, command: Command) => {
    const config = commandConfig(command);
    if (config.databaseUrl) {
      const scale = await startScaleServe(config, cliLogger(config), {
        host: opts.host,
        adminPassword: process.env.LEXBRIDGE_ADMIN_PASSWORD,
      });
      print(opts.json, { url: scale.url, mode: "scale" }, [
        `Dashboard of every firm: ${scale.url}  (scale mode; the passes run in \`lexbridge worker\`)`,
        "Ctrl+C stops.",
      ]);
      await waitForSignal();
      await scale.stop();
      return;
    }
    const handle = await startServe(config, cliLogger(config), {
      host: opts.host,
      adminPassword: process.env.LEXBRIDGE_ADMIN_PASSWORD,
      configSources: configSourcesFromCommand(command.optsWithGlobals()),
    });
    print(opts.json, { url: handle.url, user: "admin" }, [
      `Dashboard: ${handle.url}  (user admin)`,
      `Syncing every ${config.syncIntervalSeconds} s. Ctrl+C stops.`,
    ]);
    await waitForSignal();
    await handle.stop();
  });
}
