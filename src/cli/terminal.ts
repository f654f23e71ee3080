/**
 * The terminal (stderr) is shared by the progress line and the warnings logged while it shows.
 * A warning clears the progress line first and the bar draws itself again below it, so the two
 * never print over each other. One progress line exists at a time, so this holds process state.
 */
let progressShown = false;

export function setProgressShown(shown: boolean): void {
  progressShown = shown;
}

/** Writes a line to the terminal above the progress line, if one is showing. */
export function writeTerminalLine(line: string): void {
  if (progressShown) process.stderr.write("\r\x1b[K");
  process.stderr.write(`${line}\n`);
}

/** The escape that shows the cursor again (cli-progress hides it while a bar is drawn). */
export const SHOW_CURSOR = "\x1b[?25h";
