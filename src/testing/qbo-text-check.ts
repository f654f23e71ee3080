import { brokenCluster } from "./hostile-text.ts";

/**
 * QuickBooks' documented maximum lengths of the text fields lexbridge writes (qbo-api.md §10.1,
 * §10.2, §10.5, §10.7, §10.8), by field name; DisplayName at the conservative 100 (§15 item 3).
 * Written out here, and measured here (`String.length`, UTF-16 units), so the check does not trust
 * the code it checks.
 */
const LIMITS: Record<string, number> = {
  DisplayName: 100,
  GivenName: 100,
  FamilyName: 100,
  CompanyName: 100,
  Address: 100,
  FreeFormNumber: 30,
  Line1: 500,
  City: 255,
  CountrySubDivisionCode: 255,
  PostalCode: 30,
  Country: 255,
  DocNumber: 21,
  PrivateNote: 4000,
  Description: 4000,
};
/** Strings that are ids, dates or enumerations, not text. */
const NOT_TEXT = new Set([
  "Id",
  "SyncToken",
  "value",
  "TxnDate",
  "DueDate",
  "ServiceDate",
  "DetailType",
  "PostingType",
  "Type",
]);
const NAMES = new Set(["DisplayName", "GivenName", "FamilyName", "CompanyName"]);
const MULTI_LINE = new Set(["Description", "PrivateNote"]);

function* textLeaves(value: unknown, path: string): Generator<[key: string, text: string, path: string]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* textLeaves(v, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "string") yield [k, v, `${path}.${k}`];
      else yield* textLeaves(v, `${path}.${k}`);
    }
  }
}

/**
 * Every way a body lexbridge would send can break QBO's text rules, as messages (none when it
 * keeps them all): over the limit in UTF-16 units, a lone surrogate, a grapheme cluster cut in two,
 * a control character (in a name or one-line value; multi-line text may keep tab, CR and LF), a
 * `:` in a name, or a text field this check has no limit for.
 */
export function qboTextProblems(body: unknown, root = "body"): string[] {
  const problems: string[] = [];
  for (const [key, text, path] of textLeaves(body, root)) {
    if (NOT_TEXT.has(key)) continue;
    const limit = LIMITS[key];
    if (limit === undefined) {
      problems.push(`${path}: a text field with no known QBO limit`);
      continue;
    }
    const multi = MULTI_LINE.has(key);
    if (text.length > limit) problems.push(`${path}: ${text.length} UTF-16 units, limit ${limit}`);
    if (!text.isWellFormed()) problems.push(`${path}: lone surrogate`);
    const broken = brokenCluster(text, multi);
    if (broken !== undefined) problems.push(`${path}: broken cluster ${JSON.stringify(broken)}`);
    const controls = multi ? text.replace(/[\t\n\r]/g, "") : text;
    if (/[\p{Cc}\u2028\u2029]/u.test(controls)) problems.push(`${path}: control character`);
    if (NAMES.has(key) && text.includes(":")) problems.push(`${path}: ':' in a name`);
  }
  return problems;
}
