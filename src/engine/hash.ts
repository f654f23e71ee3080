import { createHash } from "node:crypto";

/** JSON with object keys sorted, so equal content always gives equal text (and hash). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex").slice(0, 32);
}

/**
 * A QBO `requestid`: the same write always gets the same id (so a retry or a replay after a crash
 * is answered with the original response), and a different write a different one. 32 hex chars
 * fit both limits of the reference (50 for a write, 36 for a batch).
 */
export function requestIdFor(parts: ReadonlyArray<string | number>): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}
