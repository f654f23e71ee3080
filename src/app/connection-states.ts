import type { Config } from "../core/config.ts";
import type { Store } from "../store/port.ts";
import { clioMismatch, loadConnection, type ProviderName, qboMismatch, secretBoxFor } from "./connections.ts";
import { clioSite, qboSite } from "./providers.ts";
import { type TokenWarning, tokenHealth } from "./token-health.ts";

/** One provider's connection as the dashboard's Connections page shows it. */
export interface ConnectionState {
  provider: ProviderName;
  label: string;
  /** `mismatch`: tokens are stored, but for another host or company than the configuration names. */
  state: "connected" | "not_connected" | "mismatch";
  /** The QuickBooks company or the Clio firm. */
  name?: string;
  /** The Clio user, or the QuickBooks realm id. */
  detail?: string;
  apiBase: string;
  connectedAt?: number;
  accessExpiresAt?: number;
  refreshExpiresAt?: number;
  problem?: string;
  warnings: TokenWarning[];
  /** When each stream of this provider was last read to its end (a pass's cursor), oldest first. */
  lastReads: LastRead[];
}

/** One stream's last complete read: the time its scan started, stored only once it finished. */
export interface LastRead {
  label: string;
  at?: number;
}

/** The cursors a pass keeps (pull-clio.ts and pull-qbo.ts), in words a bookkeeper knows. */
const STREAMS: Record<ProviderName, Array<[stream: string, label: string]>> = {
  clio: [
    ["clio:contact", "Contacts"],
    ["clio:bill", "Bills"],
    ["clio:line_item", "Bill lines"],
    ["clio:allocation", "Payments"],
    ["clio:credit_memo", "Credit notes"],
    ["clio:bank_transaction", "Trust movements"],
  ],
  // QBO's change data capture reads every entity lexbridge follows in one call, under one cursor.
  qbo: [["qbo:cdc", "Customers, invoices, payments, items and accounts (change feed)"]],
};

async function lastReads(store: Store, provider: ProviderName): Promise<LastRead[]> {
  const out: LastRead[] = [];
  for (const [stream, label] of STREAMS[provider]) {
    const cursor = await store.getCursor(stream);
    const at = cursor === undefined ? undefined : Date.parse(cursor);
    out.push(at === undefined || Number.isNaN(at) ? { label } : { label, at });
  }
  return out;
}

/** What is stored for each provider in a data dir, checked against the configuration. */
export async function connectionStates(
  config: Config,
  store: Store,
  now: number,
): Promise<ConnectionState[]> {
  const box = secretBoxFor(config);
  const qbo = await loadConnection(store, box, "qbo");
  const clio = await loadConnection(store, box, "clio");
  const warnings = tokenHealth({ qbo, clio }, now);
  const qboBase = qboSite(config).apiBase;
  const clioBase = clioSite(config).baseUrl;
  const qboProblem = qbo && qboMismatch(qbo, { apiBase: qboBase }, config);
  const clioProblem = clio && clioMismatch(clio, { baseUrl: clioBase });
  return [
    {
      provider: "clio",
      label: "Clio Manage",
      state: !clio ? "not_connected" : clioProblem ? "mismatch" : "connected",
      apiBase: clioBase,
      ...(clio
        ? {
            name: clio.firmName,
            detail: `${clio.userName} <${clio.userEmail}>`,
            connectedAt: clio.connectedAt,
            accessExpiresAt: clio.tokens.expiresAt,
          }
        : {}),
      ...(clioProblem ? { problem: clioProblem } : {}),
      warnings: warnings.filter((w) => w.provider === "clio"),
      lastReads: await lastReads(store, "clio"),
    },
    {
      provider: "qbo",
      label: "QuickBooks Online",
      state: !qbo ? "not_connected" : qboProblem ? "mismatch" : "connected",
      apiBase: qboBase,
      ...(qbo
        ? {
            name: qbo.companyName,
            detail: `realm ${qbo.realmId}`,
            connectedAt: qbo.connectedAt,
            accessExpiresAt: qbo.tokens.expiresAt,
            refreshExpiresAt: qbo.tokens.refreshExpiresAt,
          }
        : {}),
      ...(qboProblem ? { problem: qboProblem } : {}),
      warnings: warnings.filter((w) => w.provider === "qbo"),
      lastReads: await lastReads(store, "qbo"),
    },
  ];
}
