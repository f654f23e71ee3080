import type { MappingNote } from "./mapping-issue.ts";

/**
 * QBO's text rules for name-list fields (qbo-api.md §10.1–10.2): no `:`, tab or newline in
 * DisplayName / GivenName / FamilyName / CompanyName, and per-field length limits. DisplayName's
 * enforced limit is UNCONFIRMED (500 documented, 100 quoted by third parties), so it is a setting
 * with the conservative default.
 */
export const QBO_LIMITS = {
  DisplayName: 100,
  GivenName: 100,
  FamilyName: 100,
  CompanyName: 100,
  Email: 100,
  Phone: 30,
  AddressLine: 500,
  City: 255,
  Region: 255,
  PostalCode: 30,
  Country: 255,
  DocNumber: 21,
  PrivateNote: 4000,
  Description: 4000,
} as const;

const FORBIDDEN_IN_NAMES = /[:\t\r\n]+/g;

/** Replaces forbidden characters with a space, collapses runs of spaces, trims; records a note if it changed. */
export function cleanName(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  let cleaned = value.replace(FORBIDDEN_IN_NAMES, " ").replace(/ {2,}/g, " ").trim();
  if (cleaned !== value.trim()) {
    notes.push({
      severity: "cleaned",
      code: "name_characters",
      field,
      message: `Removed ':', tab or newline from ${field}`,
    });
  }
  cleaned = truncate(cleaned, field, notes, maxLength);
  return cleaned;
}

/** Cuts text to `maxLength` code points (never splitting a surrogate pair), recording a note. */
export function truncate(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  const chars = [...value];
  if (chars.length <= maxLength) return value;
  notes.push({
    severity: "cleaned",
    code: "truncated",
    field,
    message: `Shortened ${field} from ${chars.length} to ${maxLength} characters`,
  });
  return chars.slice(0, maxLength).join("").trimEnd();
}
