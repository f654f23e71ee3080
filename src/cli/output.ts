/** Prints a command's result: JSON for machines (`--json`), lines of text for people. */
export function print(json: boolean | undefined, value: unknown, lines: string[]): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * Names come from Clio as typed: a tab, a line break or an escape sequence in one would break the
 * layout or reach the terminal as a control code. On the text output each is a space (the JSON
 * keeps the names as they are).
 */
export function printableLines(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f]/g, " "));
}
