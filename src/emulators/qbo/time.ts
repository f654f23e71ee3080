/**
 * Times as QBO writes them: in the company's offset (Pacific standard time here, -08:00), e.g.
 * `2026-02-03T10:11:12-08:00` in MetaData and `2026-02-03T10:11:12.345-08:00` in `time`.
 */
const OFFSET_MINUTES = -8 * 60;

function shifted(ms: number): string {
  return new Date(ms + OFFSET_MINUTES * 60_000).toISOString();
}

function offsetText(): string {
  const sign = OFFSET_MINUTES < 0 ? "-" : "+";
  const abs = Math.abs(OFFSET_MINUTES);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** MetaData form, whole seconds. */
export function metaTime(ms: number): string {
  return shifted(ms).slice(0, 19) + offsetText();
}

/** Envelope `time` form, with milliseconds. */
export function envelopeTime(ms: number): string {
  return shifted(ms).slice(0, 23) + offsetText();
}

/** The company-local calendar date (YYYY-MM-DD), used as the default TxnDate. */
export function companyDate(ms: number): string {
  return shifted(ms).slice(0, 10);
}

/** Parses a date or date-time as QBO accepts it; a bare date is midnight company time. */
export function parseQboTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const ms = Date.parse(`${t}T00:00:00${offsetText()}`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const normalised = t.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}
