import type { CompanyTax } from "../mapping/company-tax.ts";
import type { MappingNote } from "../mapping/mapping-issue.ts";
import type { QboCustomerView } from "../mapping/qbo-customer.ts";
import type { Tracking } from "../mapping/tracking.ts";
import type { SyncIssue } from "../store/port.ts";

/** One line of the plan a pass makes (what `--dry-run` lists, and what the summary counts). */
export interface PlanEntry {
  phase: string;
  action: string;
  clioId: string;
  name?: string;
  qboId?: string;
  fields?: string[];
}

export interface InvoiceItemIds {
  services: string;
  expenses: string;
  tax: string;
  interest: string;
  adjustment: string;
  credit: string;
}

/** State shared by the phases of one sync pass. */
export interface PassContext {
  runId: string;
  plan: PlanEntry[];
  /** Keys of the items raised in this pass (each is raised, and counted as an attempt, once). */
  raised: Set<string>;
  cleanings: Array<MappingNote & { clioId: string }>;
  /** Active QBO customers, loaded once per pass when first linking needs them. */
  customers?: Map<string, QboCustomerView>;
  /** QBO ids of the items used on invoice and credit memo lines. */
  items?: InvoiceItemIds;
  /** The company's tax and currency setup, read at the start of the pass. */
  tax?: CompanyTax;
  /** The class and location to send (setup-tracking.ts), resolved at the start of the pass. */
  tracking?: Tracking;
  /** The account named by `qboDepositAccount`, resolved at the start of the pass. */
  depositAccountId?: string;
  /** QBO's exchange rates per foreign currency (by date), read when a bill first needs one. */
  exchangeRates?: Map<string, Array<{ date: string; rate: number }>>;
  /** Client → the one currency of its bills read this pass, null if several (bill-currencies.ts). */
  billCurrencies?: Map<string, string | null>;
  /** Open Sync Status issues by key, read at the start of the pass. */
  openIssues: Map<string, SyncIssue>;
}

export function newPassContext(runId: string, openIssues: SyncIssue[] = []): PassContext {
  return {
    runId,
    plan: [],
    cleanings: [],
    openIssues: new Map(openIssues.map((i) => [i.key, i])),
    raised: new Set(),
  };
}

export function recordPlan(ctx: PassContext, entry: PlanEntry): void {
  ctx.plan.push(entry);
}

/** Issues that mean "waiting for something else", not "a write failed": always try again. */
const WAITING = new Set([
  "sync_customer_not_synced",
  "sync_reference_inactive",
  "sync_invoice_not_synced",
  "sync_match_review",
  "sync_trust_transfer_unpaired",
  "sync_trust_transfer_ambiguous",
  "sync_tax_code_missing",
  "sync_currency_mismatch",
  "sync_trust_before_closed_books",
  "sync_trust_opening_mismatch",
]);

/** Whether an item's code means it waits for something else (re-planning it is no attempt). */
export function isWaiting(code: string): boolean {
  return WAITING.has(code);
}

/**
 * Whether to write an item again, and the salt that makes its request id new. A write that failed
 * is not sent again with the same content (QBO would replay the same failure for the same
 * `requestid`): only when its source changed in Clio, or the user asked for a re-sync.
 */
export function attemptSalt(
  ctx: { openIssues: ReadonlyMap<string, SyncIssue> },
  key: string,
  sourceChanged: boolean,
): string | undefined {
  const open = ctx.openIssues.get(key);
  if (!open || WAITING.has(open.code)) return "";
  if (open.retryRequested || sourceChanged) return `r${open.attempts}`;
  return undefined;
}

/** The planners' `tax` input: the company's tax and currency setup and the `qboTaxCodes` setting. */
export function taxInput(
  deps: { settings: { taxCodes?: Readonly<Record<string, string>> } },
  ctx: PassContext,
): { tax?: { company: CompanyTax; setting: Readonly<Record<string, string>> } } {
  if (!ctx.tax) return {};
  return { tax: { company: ctx.tax, setting: deps.settings.taxCodes ?? {} } };
}
