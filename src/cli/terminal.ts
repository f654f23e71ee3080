/**
 * The terminal (stderr) is shared by the progress line and the lines printed while it shows
 * (warnings, the stop notice). The progress line is redrawn in place with `\r`; a line printed
 * meanwhile clears it, prints, and draws it again below, so the two never print over each other.
 * The cursor is hidden while the line shows and shown again when it is cleared. One terminal,
 * one progress line: this module holds that state for the process.
 */

const HIDE_CURSOR = "\x1b[?25l";
/** The escape that shows the cursor again. */
export const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_LINE = "\r\x1b[K";

let shown: string | undefined;

function fit(text: string): string {
  // One character short of the width, so the terminal never wraps the line.
  const width = (process.stderr.columns ?? 80) - 1;
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Draws (or redraws) the progress line. */
export function showProgressLine(text: string): void {
  if (shown === undefined) process.stderr.write(HIDE_CURSOR);
  shown = fit(text);
  process.stderr.write(`${CLEAR_LINE}${shown}`);
}

/** Removes the progress line and shows the cursor again; nothing when none shows. */
export function clearProgressLine(): void {
  if (shown === undefined) return;
  shown = undefined;
  process.stderr.write(`${CLEAR_LINE}${SHOW_CURSOR}`);
}

/** Writes a line to the terminal above the progress line, if one is showing. */
export function writeTerminalLine(line: string): void {
  if (shown === undefined) {
    process.stderr.write(`${line}\n`);
    return;
  }
  process.stderr.write(`${CLEAR_LINE}${line}\n${shown}`);
}
