/** Prints a command's result: JSON for machines (`--json`), lines of text for people. */
export function print(json: boolean | undefined, value: unknown, lines: string[]): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stdout.write(`${lines.join("\n")}\n`);
}
