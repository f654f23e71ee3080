import type { SyncIssue } from "../store/port.ts";
import type { ClioSite, QboSite } from "./providers.ts";

/**
 * Where the records in a data dir live, recorded when lexbridge connects to the providers for a
 * pass: the web host of the firm's Clio region and of the QuickBooks environment (production or
 * sandbox). `null` stands for an emulator, which serves the APIs but no pages to link to. Links
 * are built from this record, never from the flags a later `status` run happens to be given.
 */
export interface RecordSites {
  clioWeb: string | null;
  qboWeb: string | null;
}

/** The key-value setting that holds the record (JSON). */
export const RECORD_SITES_KEY = "record_sites";

export const NO_SITES: RecordSites = { clioWeb: null, qboWeb: null };

export function recordSitesOf(
  clio: Pick<ClioSite, "kind" | "webBase">,
  qbo: Pick<QboSite, "kind" | "webBase">,
): RecordSites {
  return {
    clioWeb: clio.kind === "emulator" ? null : clio.webBase,
    qboWeb: qbo.kind === "emulator" ? null : qbo.webBase,
  };
}

/** The stored record; nothing stored (a data dir synced before sites were recorded) links nowhere. */
export function parseRecordSites(stored: string | undefined): RecordSites {
  if (!stored) return NO_SITES;
  const value = JSON.parse(stored) as Partial<RecordSites>;
  return { clioWeb: value.clioWeb ?? null, qboWeb: value.qboWeb ?? null };
}

/** Clio Manage pages by the kind of a Sync Status item (its other kinds have no page of their own). */
const CLIO_PAGES: Partial<Record<SyncIssue["entity"], string>> = {
  contact: "contacts",
  bill: "bills",
};

/** QuickBooks pages by the kind of a Sync Status item; the id is the QBO record's. */
const QBO_PAGES: Partial<Record<SyncIssue["entity"], string>> = {
  contact: "customerdetail?nameId=",
  customer: "customerdetail?nameId=",
  bill: "invoice?txnId=",
  invoice: "invoice?txnId=",
  payment: "recvpayment?txnId=",
  credit_memo: "creditmemo?txnId=",
  journal_entry: "journal?txnId=",
};

export interface RecordLinks {
  clio?: string;
  qbo?: string;
}

/** Links to both records of an item, where its site serves a page for it. */
export function recordLinks(
  item: Pick<SyncIssue, "entity" | "clioId" | "qboId">,
  sites: RecordSites,
): RecordLinks {
  const clioPage = CLIO_PAGES[item.entity];
  const qboPage = QBO_PAGES[item.entity];
  const links: RecordLinks = {};
  if (sites.clioWeb && clioPage && item.clioId)
    links.clio = `${sites.clioWeb}/nc/#/${clioPage}/${encodeURIComponent(item.clioId)}`;
  if (sites.qboWeb && qboPage && item.qboId)
    links.qbo = `${sites.qboWeb}/app/${qboPage}${encodeURIComponent(item.qboId)}`;
  return links;
}
