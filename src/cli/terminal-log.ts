import { writeTerminalLine } from "./terminal.ts";

/** Fields every line has, or that only help a machine; the terminal line leaves them out. */
const QUIET_FIELDS = new Set(["level", "time", "pid", "hostname", "msg", "run", "provider", "err", "error"]);

const LEVEL_WORDS: Record<number, string> = { 40: "warning", 50: "error", 60: "fatal" };

/**
 * One pino JSON line as a person reads it on a terminal: `lexbridge: warning: <message> (key value,
 * …)`, an error's code and message appended. Lines that are not JSON pass as they are.
 */
export function terminalLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = LEVEL_WORDS[Number(record.level)] ?? "note";
  const fields = Object.entries(record)
    .filter(([k, v]) => !QUIET_FIELDS.has(k) && v !== null && typeof v !== "object")
    .map(([k, v]) => `${k} ${String(v)}`);
  const err = (record.err ?? record.error) as { code?: unknown; message?: unknown } | undefined;
  const cause =
    err && typeof err === "object" ? `: ${[err.code, err.message].filter(Boolean).join(" ")}` : "";
  return `lexbridge: ${level}: ${String(record.msg ?? "")}${cause}${fields.length ? ` (${fields.join(", ")})` : ""}`;
}

/** A pino destination that writes warnings and errors to the terminal as one readable line each. */
export function terminalLogDestination() {
  return {
    write(chunk: string): void {
      for (const line of chunk.split("\n")) if (line.trim()) writeTerminalLine(terminalLogLine(line));
    },
  };
}
