import { CommanderError } from "commander";
import { buildProgram } from "./program.ts";

/** Entry point of the `lexbridge` binary: exit code 0 only on success. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}
