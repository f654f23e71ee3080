/**
 * Money inside the emulator is integer cents; rates are integer "milli-percent" (8.875 % → 8875).
 * Only the edges convert: parsing request bodies and emitting JSON numbers, as Clio emits decimals.
 */

/** Integer division rounded half away from zero, exact for safe integers. */
export function divRound(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  const q = (n - (n % d)) / d;
  const r = n % d;
  return sign * (r * 2 >= d ? q + 1 : q);
}

/** Parses 12, 12.3, "12.34", "-0.5" into cents without float arithmetic; rejects more than 2 decimals. */
export function toCents(value: unknown): number {
  const text = typeof value === "number" ? numberText(value) : String(value ?? "").trim();
  const m = /^(-)?(\d+)(?:\.(\d{0,2})0*)?$/.exec(text);
  if (!m) throw new RangeError(`not a money amount: ${text}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}

/** Cents → the JSON number Clio shows (e.g. 1356.5). Division by 100 here is display only. */
export function fromCents(cents: number): number {
  return Number(centsText(cents));
}

export function centsText(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Parses a percentage (e.g. 8.875) into milli-percent. */
export function toMilli(value: unknown): number {
  const text = typeof value === "number" ? numberText(value) : String(value ?? "0").trim();
  const m = /^(-)?(\d+)(?:\.(\d{0,3})\d*)?$/.exec(text);
  if (!m) throw new RangeError(`not a rate: ${text}`);
  const milli = Number(m[2]) * 1000 + Number((m[3] ?? "").padEnd(3, "0"));
  return m[1] ? -milli : milli;
}

export function fromMilli(milli: number): number {
  const sign = milli < 0 ? "-" : "";
  const abs = Math.abs(milli);
  return Number(`${sign}${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, "0")}`);
}

/** amount × rate% where rate is milli-percent: cents × milli / 100 000, rounded half up. */
export function percentOf(cents: number, milli: number): number {
  return divRound(cents * milli, 100_000);
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  // toFixed(6) avoids exponent notation; trailing zeros are ignored by the parsers.
  return n.toFixed(6).replace(/\.?0+$/, "");
}
