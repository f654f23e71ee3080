import type { MappingNote } from "./mapping-issue.ts";
import { multiLine, oneLine } from "./qbo-text-chars.ts";
import { cutToLength, qboLength } from "./qbo-text-length.ts";

/**
 * QBO's text rules for the fields lexbridge writes (qbo-api.md §10.1–10.8): no `:`, tab or
 * newline in DisplayName / GivenName / FamilyName / CompanyName, and per-field length limits,
 * counted in UTF-16 code units (qbo-text-length.ts). DisplayName's enforced limit is UNCONFIRMED
 * (500 documented, 100 quoted by third parties), so lexbridge keeps to 100; PrintOnCheckName
 * (110) is not sent: QBO fills it from DisplayName, which therefore always fits.
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
  AccountName: 100,
} as const;

/**
 * A name-list field (DisplayName, GivenName, FamilyName, CompanyName): `:` and every control or
 * line-break character become a space, runs of spaces one space, then it is shortened to fit.
 */
export function cleanName(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  const cleaned = oneLine(value.replace(/:/g, " ")).replace(/ {2,}/g, " ");
  if (cleaned !== value.trim()) {
    notes.push({
      severity: "cleaned",
      code: "name_characters",
      field,
      message: `Removed ':', tabs, line breaks or control characters from ${field}`,
    });
  }
  return truncate(cleaned, field, notes, maxLength);
}

/** A one-line field that is not a name (address part, phone, email): breaks become spaces. */
export function cleanLine(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  return truncate(withCharacterNote(value, oneLine(value), field, notes), field, notes, maxLength);
}

/** A multi-line field (line description, private note): newlines stay, other controls go. */
export function cleanText(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  return truncate(withCharacterNote(value, multiLine(value), field, notes), field, notes, maxLength);
}

function withCharacterNote(value: string, cleaned: string, field: string, notes: MappingNote[]): string {
  if (cleaned !== value.trim() && cleaned !== value) {
    notes.push({
      severity: "cleaned",
      code: "text_characters",
      field,
      message: `Removed control characters or broken characters from ${field}`,
    });
  }
  return cleaned;
}

/**
 * Shortens text to `maxLength` UTF-16 units at a grapheme-cluster boundary (never inside an
 * emoji, a surrogate pair or a letter with its accents), recording a note.
 */
export function truncate(value: string, field: string, notes: MappingNote[], maxLength: number): string {
  if (qboLength(value) <= maxLength) return value;
  const cut = cutToLength(value, maxLength).trimEnd();
  notes.push({
    severity: "cleaned",
    code: "truncated",
    field,
    message: `Shortened ${field} from ${qboLength(value)} to ${qboLength(cut)} characters to fit QuickBooks' limit of ${maxLength} (an emoji counts as 2)`,
  });
  return cut;
}
