/**
 * Exact decimal helpers for money. JSON numbers arrive as doubles; each is read through its
 * shortest decimal text (what the sender wrote), and all sums and products are done on integers,
 * so 0.1 + 0.2 is exactly 0.30 and Qty × UnitPrice is exact before rounding to cents.
 */
interface Dec {
  int: bigint;
  scale: number;
}

function parseDec(value: number): Dec {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!m) return { int: 0n, scale: 0 };
  let digits = (m[2] ?? "0") + (m[3] ?? "");
  let scale = (m[3]?.length ?? 0) - Number(m[4] ?? 0);
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  return { int: BigInt((m[1] ?? "") + digits), scale };
}

/** Rounds half away from zero to whole cents. */
function decToCents(d: Dec): number {
  if (d.scale <= 2) return Number(d.int * 10n ** BigInt(2 - d.scale));
  const div = 10n ** BigInt(d.scale - 2);
  const q = d.int / div;
  const r = d.int % div;
  const abs = r < 0n ? -r : r;
  const adjust = abs * 2n >= div ? (d.int < 0n ? -1n : 1n) : 0n;
  return Number(q + adjust);
}

/** A JSON number (or numeric string) as integer cents, rounded half away from zero. */
export function toCents(value: unknown): number {
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return toCents(Number(value));
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return 0;
  return decToCents(parseDec(value));
}

/** Integer cents as the decimal number QBO emits (12.3 for 1230). */
export function fromCents(cents: number): number {
  return Number((cents / 100).toFixed(2));
}

/** Qty × UnitPrice computed exactly, then rounded to cents. */
export function productCents(qty: number, price: number): number {
  const a = parseDec(qty);
  const b = parseDec(price);
  return decToCents({ int: a.int * b.int, scale: a.scale + b.scale });
}

/** True when a number carries more than `places` decimals. */
export function hasMoreDecimals(value: number, places: number): boolean {
  return parseDec(value).scale > places;
}

/** How a tax amount is rounded to cents: half away from zero, or half to even (QBO's rule is UNCONFIRMED). */
export type TaxRounding = "half-up" | "half-even";

/** `percent` % of `cents`, exactly, then rounded to whole cents. */
export function percentOfCents(cents: number, percent: number, rounding: TaxRounding = "half-up"): number {
  const p = parseDec(percent);
  const num = BigInt(cents) * p.int;
  const div = 100n * 10n ** BigInt(p.scale);
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / div;
  const twice = (abs % div) * 2n;
  if (twice > div || (twice === div && (rounding === "half-up" || q % 2n === 1n))) q += 1n;
  return Number(neg ? -q : q);
}
