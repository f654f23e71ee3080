/**
 * The before/after of an audit entry as a compact list of changed fields, for people (`lexbridge
 * audit` in text mode, the dashboard): bookkeeping fields the write carries only for QuickBooks'
 * sake (Id, SyncToken, sparse) are left out, nested values are shown by their leaf values, lines
 * by their count and total. Pure.
 */

export interface FieldChange {
  field: string;
  /** Absent: the field had no value before (a create, or a field set for the first time). */
  before?: string;
  after?: string;
}

const PLUMBING = new Set(["Id", "SyncToken", "sparse", "domain", "MetaData"]);
const MAX_VALUE = 60;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

function leaves(value: unknown): string[] {
  if (isEmpty(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === "object") return Object.values(value as Record<string, unknown>).flatMap(leaves);
  return [String(value)];
}

/** Lines by count and total; a journal entry's total is its debits (its credits equal them). */
function linesInWords(lines: unknown[]): string {
  type Line = { Amount?: number; JournalEntryLineDetail?: { PostingType?: string } };
  const counted = (lines as Line[]).filter(
    (l) => !l.JournalEntryLineDetail || l.JournalEntryLineDetail.PostingType === "Debit",
  );
  const cents = counted.reduce((sum, l) => sum + Math.round(Number(l.Amount ?? 0) * 100), 0);
  return `${lines.length} line(s), ${(cents / 100).toFixed(2)}`;
}

/** One value in a few words: "7353 Oak Ave, Portland, OR", "2 lines, 2220.00", "91". */
export function shortValue(field: string, value: unknown): string | undefined {
  if (isEmpty(value)) return undefined;
  let text: string;
  if (field === "Line" && Array.isArray(value)) text = linesInWords(value);
  else text = leaves(value).join(", ");
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * A customer update records its `before` in lexbridge's contact field names (the values read from
 * QuickBooks) and its `after` as the QuickBooks body: both are shown under the QuickBooks name.
 */
const CONTACT_FIELDS_IN_QBO: Record<string, string> = {
  givenName: "GivenName",
  familyName: "FamilyName",
  companyName: "CompanyName",
  email: "PrimaryEmailAddr",
  phone: "PrimaryPhone",
  mobile: "Mobile",
  homePhone: "AlternatePhone",
  fax: "Fax",
  shipAddress: "ShipAddr",
  billAddress: "BillAddr",
};

function fieldsOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [CONTACT_FIELDS_IN_QBO[k] ?? k, v]),
  );
}

/** The fields that differ between before and after, in the order they appear. */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  const b = fieldsOf(before);
  const a = fieldsOf(after);
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (PLUMBING.has(field)) continue;
    const was = shortValue(field, b[field]);
    const now = shortValue(field, a[field]);
    if (JSON.stringify(leaves(b[field])) === JSON.stringify(leaves(a[field]))) continue;
    const change: FieldChange = { field };
    if (was !== undefined) change.before = was;
    if (now !== undefined) change.after = now;
    changes.push(change);
  }
  return changes;
}

/**
 * `DisplayName: A → B; BillAddr: (none) → 7353 Oak Ave, …`; a record written for the first time
 * (nothing before) lists its fields: `set DisplayName: A; TotalAmt: 12.5`.
 */
export function changesInWords(changes: readonly FieldChange[]): string {
  if (changes.every((c) => c.before === undefined))
    return `set ${changes.map((c) => `${c.field}: ${c.after}`).join("; ")}`;
  return changes.map((c) => `${c.field}: ${c.before ?? "(none)"} → ${c.after ?? "(none)"}`).join("; ");
}
