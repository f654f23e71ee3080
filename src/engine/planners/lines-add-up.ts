/**
 * Whether the line items read so far can be all of a bill's: Clio lists line items in no bill
 * order and a bill does not name its lines (clio-api.md §5.4), so while the line items are still
 * read, a new bill's invoice may be written early only when what is known adds up — the totals of
 * its lines equal the bill's `sub_total` to the cent. That `sub_total` is the sum of the line
 * totals is UNCONFIRMED (the emulator's fixture formula), so it is a switch (`earlyInvoices`),
 * and a wrong guess costs one write, never a wrong invoice: a line read later marks the bill
 * changed and the same pass rewrites its invoice (sync-pass.ts).
 */
import { type Cents, parseMoney } from "../../core/money.ts";
import type { ClioBillView, ClioLineItemView } from "../../mapping/clio-billing-views.ts";

export function linesAddUp(bill: ClioBillView, lines: readonly ClioLineItemView[]): boolean {
  const subTotal = centsOf(bill.sub_total);
  if (subTotal === undefined) return false;
  let sum = 0;
  for (const line of lines) {
    const total = centsOf(line.total);
    if (total === undefined) return false;
    sum += total;
  }
  // No lines is a guess too weak to act on, even for a zero bill: its lines may all be to come.
  return lines.length > 0 && sum === subTotal;
}

function centsOf(value: number | null | undefined): Cents | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return parseMoney(value);
  } catch {
    return undefined;
  }
}
