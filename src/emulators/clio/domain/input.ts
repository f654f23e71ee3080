import { invalid } from "../http.ts";
import { toCents, toMilli } from "../money.ts";

/** Small parsers for admin and API bodies; each failure is a 422 naming the field. */
export type Input = Record<string, unknown>;

export function cents(v: unknown, name: string, { positive = true } = {}): number {
  let c: number;
  try {
    c = toCents(v);
  } catch {
    throw invalid(`${name} must be an amount with at most 2 decimals`);
  }
  if (positive && c <= 0) throw invalid(`${name} must be greater than 0`);
  return c;
}

export function milli(v: unknown, name: string): number {
  if (v === undefined || v === null || v === "") return 0;
  try {
    return toMilli(v);
  } catch {
    throw invalid(`${name} must be a number`);
  }
}

export function date(v: unknown, name: string, fallback?: string): string {
  if (v === undefined || v === null || v === "") {
    if (fallback !== undefined) return fallback;
    throw invalid(`${name} can't be blank`);
  }
  const s = String(v);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.slice(0, 10)) || Number.isNaN(Date.parse(s.slice(0, 10)))) {
    throw invalid(`${name} must be a date (YYYY-MM-DD)`);
  }
  return s.slice(0, 10);
}

export function id(v: unknown, name: string): number {
  const raw = typeof v === "object" && v !== null ? (v as { id?: unknown }).id : v;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(`${name} must be an id`);
  return n;
}

export function text(v: unknown): string | null {
  return v === undefined || v === null ? null : String(v);
}

export function today(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
