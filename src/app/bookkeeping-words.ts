/**
 * The words a bookkeeper reads for the engine's streams and phases: the progress line, the stop
 * message and the summary all say "invoices", never "invoice create" or "line_item".
 */

/** What each Clio stream holds. */
export const STREAM_NOUNS: Record<string, string> = {
  bill: "bills",
  line_item: "bill lines",
  allocation: "payments and credits",
  credit_memo: "credit notes",
  bank_transaction: "trust movements",
  bank_account: "trust accounts",
  contact: "changed contacts",
};

/** What each write phase sends to QuickBooks. */
export const PHASE_NOUNS: Record<string, string> = {
  resume: "writes left by the last run",
  customers: "customers",
  "trust customers": "customers of trust clients",
  "journal entries": "trust journal entries",
  invoices: "invoices",
  payments: "payments and credit notes",
  "credit applications": "credit applications",
  "voided credit memos": "voided credit notes",
};

export function streamNoun(stream: string): string {
  return STREAM_NOUNS[stream] ?? stream.replaceAll("_", " ");
}

export function phaseNoun(phase: string): string {
  return PHASE_NOUNS[phase] ?? phase;
}

/** 1234 → "1,234": counts as an English-speaking bookkeeper writes them. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}
