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
  const fileLevel = config.logLevel as LevelWithSilent;
  const streams: pino.StreamEntry[] = [{ level: "warn", stream: terminalLogDestination() }];
  if (fileLevel !== "silent")
    streams.push({ level: fileLevel, stream: sizeCappedLogFile(logFilePath(config.dataDir)) });
  const lowest =
    fileLevel !== "silent" && pino.levels.values[fileLevel]! < pino.levels.values.warn! ? fileLevel : "warn";
  return createLogger({ level: lowest, destination: pino.multistream(streams) });
}
