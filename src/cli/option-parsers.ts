import { InvalidArgumentError } from "commander";

/**
 * Parsers for numeric options: a word where a number belongs stops the command before anything
 * runs, as a usage error naming the option, instead of reaching SQLite or a socket as NaN.
 */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `a whole number, ${min} or more`
          : `a whole number from ${min} to ${max}`,
      );
    return n;
  };
}

/** A TCP port; 0 lets the system pick a free one. */
export const portNumber = wholeNumber(0, 65_535);

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("a number greater than 0");
  return n;
}
