/**
 * How the emulator measures a string against QBO's maximum lengths (2050). Intuit documents each
 * limit as "maximum of N chars" without saying what a character is; QBO is a Java service, whose
 * strings count UTF-16 code units, so that is the default — and the stricter choice, since a
 * string never has fewer UTF-16 units than code points. `codePoints` is the other reading, for a
 * test that wants to see what changes if QBO counted Unicode characters instead (UNCONFIRMED;
 * docs/emulators-qbo.md).
 */
export type LengthUnit = "utf16" | "codePoints";

export const LENGTH_UNITS: readonly LengthUnit[] = ["utf16", "codePoints"];

export function textLength(value: string, unit: LengthUnit): number {
  if (unit === "utf16") return value.length;
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}
