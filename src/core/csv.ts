/**
 * Rows as CSV (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled).
 * Text that a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-`, `@`, tab
 * or carriage return that is not a number) gets a leading `'`: names and notes come from Clio
 * and QuickBooks and may hold anything. Amounts such as `-10.00` stay numbers.
 */
export function csvText(rows: readonly (readonly unknown[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

function csvField(value: unknown): string {
  let s = value === undefined || value === null ? "" : String(value);
  if (FORMULA_START.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
