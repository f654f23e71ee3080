import type { ClioContact, ClioSyncRecords } from "../clio/schemas/index.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { QboClient } from "../qbo/client.ts";
import type { Store } from "../store/port.ts";
import type { InvoiceItemIds } from "./pass-context.ts";

/**
 * What the engine needs of QuickBooks: a structural slice of the QBO client, so tests and other
 * drivers can stand in for it.
 */
export type QboPort = Pick<
  QboClient,
  "realmId" | "batch" | "writeSingle" | "query" | "queryAll" | "cdc" | "read" | "create" | "sparseUpdate"
>;

/**
 * The lists the sync reads; bank accounts are trust accounts only (PRODUCT.md §1.5), bank
 * transactions those of trust accounts only (`type=liability`, clio-api.md §5.7).
 */
export type ClioListKind = keyof ClioSyncRecords;

/** A page of Clio records of one list, as its schema parsed them. */
export interface ClioPage<K extends ClioListKind = ClioListKind> {
  records: ClioSyncRecords[K][];
}

/** The kinds whose deletions lexbridge looks for by comparing id sets (Clio keeps no tombstones). */
export type ClioIdListKind = "bill" | "allocation" | "credit_memo";

/** The kinds the reconciliation reads one client at a time (Clio filters each by client). */
export type ClioClientListKind = "bill" | "allocation" | "bank_transaction";

/** The kinds a targeted sync reads by id (targeted-reads.ts). */
export type ClioByIdKind = "bill" | "credit_memo";

/** The kinds read one bill at a time (`bill_id`). */
export type ClioBillListKind = "line_item" | "allocation";

/** What the engine needs of Clio (implemented over the Clio client in clio-source.ts). */
export interface ClioPort {
  /** Every record of a kind changed since `updatedSince` (all when undefined), page by page, id order. */
  list<K extends ClioListKind>(kind: K, updatedSince: string | undefined): AsyncIterable<ClioPage<K>>;
  /** Every id of a kind Clio lists, page by page: the cheapest complete listing (`fields=id`). */
  listIds(kind: ClioIdListKind): AsyncIterable<string[]>;
  /** Every record of a kind that belongs to one client (`client_id`, `contact_id` for allocations). */
  listOfClient<K extends ClioClientListKind>(kind: K, clientId: string): AsyncIterable<ClioPage<K>>;
  /** The ids of the allocations Clio lists for one bill, voided ones included. */
  allocationIdsOfBill(billId: string): Promise<string[]>;
  /**
   * Records of a kind by id (`ids[]`), in as few requests as the API allows; an id Clio does not
   * list (deleted, or a bill the unfiltered list hides) is simply absent, as from the stream.
   */
  byIds<K extends ClioByIdKind>(kind: K, ids: string[]): Promise<ClioSyncRecords[K][]>;
  /** Every record of a kind that belongs to one bill (`bill_id`): its line items or its allocations. */
  listOfBill<K extends ClioBillListKind>(kind: K, billId: string): AsyncIterable<ClioPage<K>>;
  /**
   * Every allocation whose parent has this id (`parent_id`), of either parent type: which integer
   * `parent_type` takes is unconfirmed (clio-api.md §5.6), so the caller keeps the type it wants.
   */
  allocationsOfParent(parentId: string): AsyncIterable<ClioPage<"allocation">>;
  /** Contacts by id, in as few requests as the API allows. */
  contactsByIds(ids: string[]): Promise<ClioContact[]>;
  /** PATCH a contact (nested writes); returns the contact as read afterwards. */
  updateContact(id: string, body: Record<string, unknown>): Promise<ClioContact>;
  /** Deep link to the record in Clio's web app (or the emulator's equivalent). */
  webUrl(kind: "contact" | "bill", id: string): string;
}

/** Settings the engine reads (a subset of the product config). */
export interface EngineSettings {
  /** Bills issued before this date (YYYY-MM-DD) never sync. */
  startDate: string;
  /** `qboTaxCodes`: QBO tax code name or id per Clio rate ("0" = untaxed lines). */
  taxCodes?: Readonly<Record<string, string>>;
  /** `trustStartDate`: trust movements dated before it are not posted. */
  trustStartDate?: string;
  /** `qboTrustAccounts`: Clio trust account (id or name) → existing QBO accounts (name or id) holding its history. */
  trustAccounts?: Readonly<Record<string, { bank: string; liability: string }>>;
  /** `qboClass` / `qboLocation`: the class and location (name or id) sent when the company tracks them. */
  trackingClass?: string;
  trackingLocation?: string;
  /** `qboDepositAccount`: the account (name or id) payments are deposited to. */
  depositAccount?: string;
  /** `qboIncomeAccount`: the Income account (name or id) of the items lexbridge creates. */
  incomeAccount?: string;
  conflictPolicy: "latest-wins" | "clio-wins" | "qbo-wins";
  /** The QBO items invoice lines use, by role; DEFAULT_ITEM_NAMES where absent. */
  itemNames?: Record<keyof InvoiceItemIds, string>;
  /**
   * `earlyInvoices` (default true): a new bill's invoice is written while the line items are still
   * read, once the lines read so far add up to the bill (planners/lines-add-up.ts, UNCONFIRMED
   * fact); false waits until every line item is read.
   */
  earlyInvoices?: boolean;
  /** Clio `updated_since` overlap, so a record written while a page was read is not missed. */
  overlapMs: number;
  /** Base URL of the QBO web app for deep links. */
  qboWebBase: string;
  /** How many QBO batches may be in flight at once (QBO allows 10 concurrent requests per realm). */
  batchConcurrency: number;
  /** How many single QBO writes may be in flight at once, beside the batches (executor.ts). */
  singleConcurrency: number;
  /**
   * How long between two complete compares of Clio's bill, allocation and credit memo ids with the
   * mirrored ones (id-set-compare.ts); 0 compares on every pass.
   */
  idCompareIntervalMs: number;
  /**
   * How long between two full reconciliations after a pass (reconcile-scope.ts); in between, a
   * pass reconciles only the clients it touched. 0 reconciles everything after every pass.
   */
  reconcileFullIntervalMs: number;
}

export interface EngineDeps {
  clio: ClioPort;
  qbo: QboPort;
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: EngineSettings;
  /**
   * Fires when a person stops the run (Ctrl+C, SIGTERM), with a StopRequested as its reason. The
   * same signal is wired into the HTTP stacks (waits and requests in flight end at once); the pass
   * also checks it between its own steps. What was committed stays; the next run resumes.
   */
  signal?: AbortSignal;
  /**
   * How long until QBO's batch lane takes another batch (0: now). Single writes go only while it
   * is spent (executor.ts); without it they go whenever a worker is free.
   */
  qboBatchLaneWaitMs?: () => number;
  /**
   * How many batches QBO's batch lane would let go now. A batch worker takes writes only while
   * the lane has room for its batch beside those formed and not yet answered (executor.ts);
   * without it, whenever the wait is 0.
   */
  qboBatchLaneRoom?: () => number;
}
