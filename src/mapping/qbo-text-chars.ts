/**
 * Characters that are not text QuickBooks can hold. QBO forbids `:`, tab and newline in names
 * (qbo-api.md §10.2); the rest are control characters (Unicode category Cc: C0, DEL, C1) and the
 * Unicode line and paragraph separators, which a name cannot show and which XML 1.0 — the other
 * format QBO speaks — cannot carry at all (NUL, most C0 codes), and lone surrogates and the
 * noncharacters U+FFFE/U+FFFF, which are not characters and cannot be encoded as UTF-8
 * (a non-UTF-8 body is refused: qbo-api.md §12 item 19).
 */

/** Lone surrogates (half of a pair whose other half is missing) and the two BMP noncharacters. */
const NOT_CHARACTERS =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/**
 * Everything that ends a line or separates records: CR, LF, VT, FF, tab, the information
 * separators FS/GS/RS/US, NEL (U+0085), LS (U+2028), PS (U+2029).
 */
const BREAKS = "\\t\\n\\v\\f\\r\\u001c-\\u001f\\u0085\\u2028\\u2029";
/** Other control characters: C0 without the breaks above, DEL, C1 without NEL. */
const OTHER_CONTROLS = /[\u0000-\u0008\u000e-\u001b\u007f-\u0084\u0086-\u009f]/g;

/** A run of breaks with the spaces around it (so "a \r\n b" becomes "a b", not "a   b"). */
const BREAK_RUN = new RegExp(` *[${BREAKS}][${BREAKS} ]*`, "g");
/** Breaks that a multi-line text keeps as they are. */
const KEPT_IN_TEXT = /[\t\n\r]/;
const BREAK_CHAR = new RegExp(`[${BREAKS}]`, "g");

/** Removes what is not a character and the controls that are not line breaks. */
function dropNonText(value: string): string {
  return value.replace(NOT_CHARACTERS, "").replace(OTHER_CONTROLS, "");
}

/**
 * A one-line value (a name, an address part, a phone, an email): every line break, tab or
 * separator becomes one space, other controls are removed, and the ends are trimmed.
 */
export function oneLine(value: string): string {
  return dropNonText(value).replace(BREAK_RUN, " ").trim();
}

/**
 * A multi-line value (a line description, a private note): tab, LF and CR are kept; VT, FF, NEL,
 * LS and PS become a newline (they end a line); other controls are removed.
 */
export function multiLine(value: string): string {
  return dropNonText(value).replace(BREAK_CHAR, (c) => (KEPT_IN_TEXT.test(c) ? c : "\n"));
}
