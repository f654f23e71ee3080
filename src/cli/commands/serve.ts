import type { Command } from "commander";
import { connectionStates } from "../../app/connection-states.ts";
import { acquireDataDirLock } from "../../app/data-dir-lock.ts";
import { createEngine, type EngineHandle, openStore } from "../../app/engine-factory.ts";
import { PassRunner } from "../../app/pass-runner.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import type { QboCustomerView } from "../../mapping/qbo-customer.ts";
import type { Store } from "../../store/port.ts";
import { ensureAdminPassword } from "../../web/admin-password.ts";
import { createWebApp } from "../../web/app.ts";
import { isLoopback, LOOPBACK_HOSTNAMES } from "../../web/host-check.ts";
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
  stop(): Promise<void>;
}

/**
 * The long-running mode: the dashboard on host:port and a sync pass every interval, in one process
 * holding the data dir's lock, on one store shared by the passes and the pages. The engine is made
 * at the first pass that can make it: until both providers are connected the dashboard still
 * serves (Connections shows what is missing) and each interval tries again.
 */
export async function startServe(
  config: Config,
  logger: Logger,
  options: { host: string; adminPassword: string | undefined; clock?: Clock },
): Promise<ServeHandle> {
  const clock = options.clock ?? systemClock;
  const lock = acquireDataDirLock(config.dataDir);
  const store = openStore(config);
  try {
    const source = await ensureAdminPassword(store, options.adminPassword, clock.now());
    if (source === "from_env") logger.info("admin password set from LEXBRIDGE_ADMIN_PASSWORD");
    let engine: EngineHandle | undefined;
    const runner = new PassRunner(
      async () => {
        engine ??= await createEngine(config, logger, { store, clock });
        return syncOnce(engine.deps, unwatchedPass, { dryRun: false });
      },
      clock,
      logger,
    );
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
      ...(isLoopback(options.host) ? { allowedHostnames: LOOPBACK_HOSTNAMES } : {}),
    });
    const server = await listen(app.fetch, options.host, config.port);
    runner.startEvery(config.syncIntervalSeconds * 1000);
    return {
      url: server.url,
      store,
      runner,
      stop: async () => {
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
