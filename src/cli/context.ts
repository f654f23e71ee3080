import type { Command } from "commander";
import { pino } from "pino";
import { acquireDataDirLock } from "../app/data-dir-lock.ts";
import { createEngine, type EngineHandle, openStore } from "../app/engine-factory.ts";
import type { Config } from "../core/config.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import type { Store } from "../store/port.ts";
import { configFromCommand } from "./config-options.ts";

let commandLogger: Logger | undefined;

/** Logs go to stderr so that stdout carries only the command's own output (and `--json`). */
export function cliLogger(config: Config): Logger {
  commandLogger = createLogger({ level: config.logLevel, destination: process.stderr as never });
  return commandLogger;
}

/**
 * Where the entry point logs a failure's details (its stack, at level debug): the command's own
 * logger, or, when the command failed before it had one (a bad setting), one at the level the
 * environment names (default warn, which leaves the stack out).
 */
export function failureLogger(): Logger {
  if (commandLogger) return commandLogger;
  const named = process.env.LEXBRIDGE_LOG_LEVEL;
  const level = named && named in pino.levels.values ? named : "warn";
  return createLogger({ level, destination: process.stderr as never });
}

export function commandConfig(command: Command): Config {
  return configFromCommand(command.optsWithGlobals());
}

/** Runs `fn` with the wired engine and closes it afterwards. */
export async function withEngine<T>(
  command: Command,
  fn: (engine: EngineHandle, config: Config) => Promise<T>,
): Promise<T> {
  const config = commandConfig(command);
  const engine = await createEngine(config, cliLogger(config));
  try {
    return await fn(engine, config);
  } finally {
    await engine.close();
  }
}

/** Runs `fn` with the store alone (commands that only read local state). */
export async function withStore<T>(
  command: Command,
  fn: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const config = commandConfig(command);
  const store = openStore(config);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/** Like withStore, holding the data dir's lock: connecting must not race a pass refreshing tokens. */
export async function withLockedStore<T>(
  command: Command,
  fn: (config: Config, store: Store) => Promise<T>,
): Promise<T> {
  const config = commandConfig(command);
  const lock = acquireDataDirLock(config.dataDir);
  try {
    return await withStore(command, (store) => fn(config, store));
  } finally {
    lock.release();
  }
}
