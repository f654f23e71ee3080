import { type DestinationStream, type Logger, pino } from "pino";
import { LexError } from "./errors.ts";
import { pinoRedactPaths, REDACTED } from "./redact.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Where lines go; default stdout. Tests pass a collecting stream. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/**
 * JSON logs (pino). Secrets are removed by path before a line is written, as a second line of
 * defence behind the decorators that never put them in a log object in the first place.
 * Child loggers carry run / stream / record context (`logger.child({ run })`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? {},
      redact: { paths: pinoRedactPaths(), censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination,
  );
}

/** LexErrors log through their safe toJSON; other errors through pino's standard serializer. */
function serializeError(value: unknown): unknown {
  if (value instanceof LexError) return value.toJSON();
  if (value instanceof Error) return pino.stdSerializers.err(value);
  return value;
}

/** A logger that writes nothing, for code paths whose caller gave none. */
export const silentLogger: Logger = pino({ level: "silent" });

/** A destination that keeps every line in memory (for tests and `--json` capture). */
export function memoryDestination(): DestinationStream & {
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line) lines.push(line);
    },
    records() {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}
