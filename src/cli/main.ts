import { CommanderError } from "commander";
import { catalogueEntry } from "../core/error-catalogue/index.ts";
import { isLexError } from "../core/errors.ts";
import { buildProgram } from "./program.ts";

/**
 * Entry point of the `lexbridge` binary: exit code 0 only on success. A LexError ends the command
 * with its code and message on stderr (never a stack trace, never a secret: the message is the
 * error's own safe text); anything else is a defect and keeps its stack.
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (isLexError(error)) {
      const provider = error.providerCode ? ` (provider code ${error.providerCode})` : "";
      process.stderr.write(`lexbridge: [${error.code}] ${error.message}${provider}\n`);
      process.stderr.write(`  fix: ${catalogueEntry(error.code).fix}\n`);
      process.exitCode = error.kind === "config" ? 2 : 1;
      return;
    }
    throw error;
  }
}
