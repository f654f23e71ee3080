/** The reconciliation report's shape (PRODUCT.md §2) and its CSV form. Amounts are decimal text. */

import { csvText } from "../core/csv.ts";

export type ReconcileArea = "receivables" | "invoice" | "payment" | "trust";

/** One difference, down to the record that causes it. */
export interface ReconcileItem {
  area: ReconcileArea;
  clientId: string;
  /** The Clio record (bill, payment, trust transaction or transfer). */
  clioRecord: string;
  /** The QBO record (invoice, payment, journal entry), when there is one. */
  qboRecord?: string;
  clio: string;
  qbo: string;
  difference: string;
  reason: string;
}

export interface Comparison {
  clio: string;
  qbo: string;
  difference: string;
}

export interface ClientReconciliation {
  clientId: string;
  name?: string;
  customerId?: string;
  receivables: Comparison;
  invoices: Comparison;
  payments: Comparison;
  trust: Comparison;
}

export interface TrustAccountReconciliation {
  clioAccountId: string;
  name: string;
  /** Clio's account balance. */
  clioBalance: string;
  /** Sum of the Clio client ledgers in the account. */
  clioClientSum: string;
  qboBankBalance?: string;
  qboLiabilityBalance?: string;
}

export interface ReconcileReport {
  generatedAt: string;
  /** `full`: every client and the trust accounts; `clients`: only the clients listed in `clients`. */
  scope: "full" | "clients";
  ok: boolean;
  clients: ClientReconciliation[];
  totals: Omit<ClientReconciliation, "clientId" | "name" | "customerId">;
  /** Only in a full compare: an account's balance is not one client's. */
  trustAccounts: TrustAccountReconciliation[];
  items: ReconcileItem[];
}

/** The report as CSV: one row per client and a total row, then one row per itemised difference. */
export function reconcileCsv(report: ReconcileReport): string {
  const rows: unknown[][] = [
    [
      "client_id",
      "name",
      "customer_id",
      ...["receivables", "invoices", "payments", "trust"].flatMap((a) => [
        `${a}_clio`,
        `${a}_qbo`,
        `${a}_difference`,
      ]),
    ],
  ];
  const flat = (c: Omit<ClientReconciliation, "clientId" | "name" | "customerId">) =>
    [c.receivables, c.invoices, c.payments, c.trust].flatMap((x) => [x.clio, x.qbo, x.difference]);
  for (const c of report.clients) rows.push([c.clientId, c.name, c.customerId, ...flat(c)]);
  rows.push(["TOTAL", "", "", ...flat(report.totals)]);
  rows.push([]);
  rows.push(["area", "client_id", "clio_record", "qbo_record", "clio", "qbo", "difference", "reason"]);
  for (const i of report.items)
    rows.push([i.area, i.clientId, i.clioRecord, i.qboRecord, i.clio, i.qbo, i.difference, i.reason]);
  return csvText(rows);
}
