import { join } from "node:path";
import { type LevelWithSilent, pino } from "pino";
import type { Config } from "../core/config.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { sizeCappedLogFile } from "./log-file.ts";
import { terminalLogDestination } from "./terminal-log.ts";

/** Where a data directory's log lives. */
export function logFilePath(dataDir: string): string {
  return join(dataDir, "logs", "lexbridge.log");
}

/**
 * The CLI's logger: every line at `--log-level` goes as JSON to the log file in the data
 * directory; warnings and errors also go to the terminal (stderr), one readable line each. So a
 * pass prints no request lines, and stdout carries only the command's own output (and `--json`).
 */
export function cliLogger(config: Config): Logger {
  commandLogger = fileLogger(config);
  return commandLogger;
}

let commandLogger: Logger | undefined;

/**
 * Where the entry point logs a failure's details (its stack, at level debug): the command's own
 * logger (the log file), or, when the command failed before it had one (a bad setting), one on
 * stderr at the level the environment names (default warn, which leaves the stack out).
 */
export function failureLogger(): Logger {
  if (commandLogger) return commandLogger;
  const named = process.env.LEXBRIDGE_LOG_LEVEL;
  const level = named && named in pino.levels.values ? named : "warn";
  return createLogger({ level, destination: process.stderr as never });
}

function fileLogger(config: Config): Logger {
  const fileLevel = config.logLevel as LevelWithSilent;
  const streams: pino.StreamEntry[] = [{ level: "warn", stream: terminalLogDestination() }];
  const file = fileLevel === "silent" ? undefined : openLogFile(config.dataDir);
  if (file) streams.push({ level: fileLevel as pino.Level, stream: file });
  const lowest =
    fileLevel !== "silent" && pino.levels.values[fileLevel]! < pino.levels.values.warn! ? fileLevel : "warn";
  return createLogger({ level: lowest, destination: pino.multistream(streams) });
}

/**
 * The log file, or none when the data directory cannot be written: then the command goes on and
 * the store, opened next, reports that with its own coded error, which a log file must not mask.
 */
function openLogFile(dataDir: string) {
  try {
    return sizeCappedLogFile(logFilePath(dataDir));
  } catch {
    return undefined;
  }
}
