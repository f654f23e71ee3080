import { LexError } from "./errors.ts";

/**
 * Money as an integer number of minor units (cents). Every amount that enters the product is
 * parsed from its decimal text once, here, and all arithmetic is integer arithmetic, so
 * 0.1 + 0.2 is exactly 0.30. Amounts beyond Number.MAX_SAFE_INTEGER cents (about 90 trillion
 * dollars) are rejected rather than silently losing precision.
 */
export type Cents = number & { readonly __brand: "Cents" };

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new LexError("money_invalid", `Not a whole number of cents: ${value}`);
  }
  return value as Cents;
}

/**
 * Parses "12.3", "-0.05", "1,234.50" (thousands separators allowed) or a number such as the
 * providers' JSON `12.3`. A number is read through its shortest decimal text, which is exact for
 * any value that was written with two decimals. More than two decimals is an error, not a rounding.
 */
export function parseMoney(input: string | number): Cents {
  const text = typeof input === "number" ? numberToText(input) : input.trim().replaceAll(",", "");
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new LexError(
      "money_invalid",
      `Not a money amount with at most two decimals: ${JSON.stringify(input)}`,
      {
        details: { input: String(input) },
      },
    );
  }
  const [, sign, whole, fraction = ""] = match;
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (!Number.isSafeInteger(value)) {
    throw new LexError("money_invalid", `Amount too large: ${String(input)}`);
  }
  return (sign && value !== 0 ? -value : value) as Cents;
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // toString gives the shortest round-trip text; exponent forms only appear for tiny or huge values.
  const text = value.toString();
  return text.includes("e") ? value.toFixed(20).replace(/0+$/, "") : text;
}

/** "1234.5" style text with exactly two decimals, for APIs and reports. */
export function formatMoney(amount: Cents): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const text = `${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** The JSON number the providers expect (12.3 for 1230 cents); exact because it is built from text. */
export function toDecimalNumber(amount: Cents): number {
  return Number(formatMoney(amount));
}

export function addMoney(...amounts: Cents[]): Cents {
  let total = 0;
  for (const amount of amounts) total += amount;
  return cents(total);
}

export function subtractMoney(a: Cents, b: Cents): Cents {
  return cents(a - b);
}

export function sumMoney(amounts: Iterable<Cents>): Cents {
  let total = 0;
  for (const amount of amounts) total += amount;
  return cents(total);
}

/**
 * Splits `total` in proportion to `weights` so that the parts always sum to `total` exactly
 * (largest-remainder method: leftover cents go to the parts with the largest fractional shares,
 * earlier parts first on ties). Equal weights give parts that differ by at most one cent.
 */
export function allocateMoney(total: Cents, weights: readonly number[]): Cents[] {
  if (weights.length === 0) throw new LexError("money_invalid", "Cannot allocate into zero parts");
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new LexError("money_invalid", "Allocation weights must be finite and not negative");
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) throw new LexError("money_invalid", "Allocation weights sum to zero");
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = weights.map((w) => (abs * w) / weightSum);
  const parts = exact.map((x) => Math.floor(x));
  let remainder = abs - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, index) => ({ index, fraction: x - Math.floor(x) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (remainder === 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    remainder--;
  }
  return parts.map((p) => cents(sign * p));
}

/** Splits into `count` equal parts (by at most one cent). */
export function splitMoney(total: Cents, count: number): Cents[] {
  return allocateMoney(
    total,
    Array.from({ length: count }, () => 1),
  );
}

/** A money field the API may leave out or send as null: absent is not an amount, and throws like one. */
export function parsePresentMoney(input: string | number | null | undefined): Cents {
  if (input === null || input === undefined)
    throw new LexError("money_invalid", `Not a money amount: ${String(input)}`, {
      details: { input: String(input) },
    });
  return parseMoney(input);
}
