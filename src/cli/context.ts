import type { Command } from "commander";
import { acquireDataDirLock } from "../app/data-dir-lock.ts";
import { createEngine, type EngineHandle } from "../app/engine-factory.ts";
import { openFirmStore } from "../app/open-store.ts";
import type { Config } from "../core/config.ts";
import type { Store } from "../store/port.ts";
import { cliLogger } from "./cli-logger.ts";
import { configFromCommand } from "./config-options.ts";

export function commandConfig(command: Command): Config {
  return configFromCommand(command.optsWithGlobals());
}

/** Runs `fn` with the wired engine and closes it afterwards; `stop` ends its requests (Ctrl+C). */
export async function withEngine<T>(
  command: Command,
  fn: (engine: EngineHandle, config: Config) => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const config = commandConfig(command);
  const engine = await createEngine(config, cliLogger(config), stop ? { stop } : {});
  try {
    return await fn(engine, engine.config);
  } finally {
    await engine.close();
  }
}

/** Runs `fn` with the store alone (commands that only read local state). */
export async function withStore<T>(
  command: Command,
  fn: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const { store, config } = await openFirmStore(commandConfig(command));
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/**
 * Like withStore, holding the data dir's lock (and in scale mode the firm's): connecting must not
 * race a pass refreshing tokens.
 */
export async function withLockedStore<T>(
  command: Command,
  fn: (config: Config, store: Store) => Promise<T>,
): Promise<T> {
  const lock = acquireDataDirLock(commandConfig(command).dataDir);
  try {
    const { store, config } = await openFirmStore(commandConfig(command), { exclusive: true });
    try {
      return await fn(config, store);
    } finally {
      await store.close();
    }
  } finally {
    lock.release();
  }
}
