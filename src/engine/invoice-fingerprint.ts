import { formatMoney, parseMoney } from "../core/money.ts";
import { contentHash } from "./hash.ts";

const money = (v: unknown) => {
  try {
    return formatMoney(parseMoney(v as number));
  } catch {
    return String(v);
  }
};

/**
 * The part of an invoice lexbridge owns, in a form that survives QBO's echo (line ids, the
 * automatic subtotal line, derived totals and balances left out). A CDC change whose fingerprint
 * equals the last written one is QBO's own bookkeeping (a payment applied bumps the SyncToken),
 * not a user's edit.
 */
export function invoiceFingerprint(invoice: Record<string, unknown>): string {
  const lines = ((invoice.Line as Array<Record<string, unknown>>) ?? [])
    .filter((l) => l.DetailType !== "SubTotalLineDetail")
    .map((l) => {
      const d = (l.SalesItemLineDetail ?? {}) as Record<string, unknown>;
      return {
        type: l.DetailType,
        amount: money(l.Amount),
        description: l.Description ?? "",
        item: (d.ItemRef as { value?: string } | undefined)?.value ?? "",
        qty: d.Qty ?? null,
        price: d.UnitPrice ?? null,
        date: d.ServiceDate ?? null,
      };
    });
  return contentHash({
    doc: invoice.DocNumber ?? "",
    date: invoice.TxnDate ?? "",
    due: invoice.DueDate ?? "",
    customer: (invoice.CustomerRef as { value?: string } | undefined)?.value ?? "",
    note: invoice.PrivateNote ?? "",
    lines,
  });
}
