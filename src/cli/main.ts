import { type Command, CommanderError } from "commander";
import { catalogueEntry } from "../core/error-catalogue/index.ts";
import { LexError } from "../core/errors.ts";
import { codedFailure } from "../core/system-errors.ts";
import { failureLogger } from "./cli-logger.ts";
import { buildProgram } from "./program.ts";

/** Commander's ways of ending that are not a mistake: help and version were asked for. */
const NOT_A_MISTAKE = new Set(["commander.help", "commander.helpDisplayed", "commander.version"]);

/**
 * Entry point of the `lexbridge` binary: exit code 0 only on success. Every failure ends the
 * command with `lexbridge: [code] message` and the catalogue's fix on stderr, never a stack trace
 * and never a secret (the message is the error's own safe text). A command line commander refuses
 * is `usage_invalid`; a failure that is no LexError is translated where it is known (SQLite's
 * verdicts) and otherwise reported as `internal_error`. The stack goes to the log at level debug.
 * Exit codes: 2 for what a setting or the command line must fix (kind `config`), 1 for the rest.
 */
export async function main(argv: string[], build: () => Command = buildProgram): Promise<void> {
  installLastResort();
  const program = build();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (NOT_A_MISTAKE.has(error.code)) {
        process.exitCode = error.exitCode;
        return;
      }
      const where = commandPath(program, argv.slice(2));
      report(
        new LexError("usage_invalid", `${error.message.replace(/^error: /, "")} (see \`${where} --help\`)`),
        error,
      );
      return;
    }
    report(codedFailure(error), error);
  }
}

let lastResortInstalled = false;

/**
 * What fails outside the command's own await (a server's error event, a stray promise) ends the
 * same way, coded, rather than with Node's stack dump.
 */
function installLastResort(): void {
  if (lastResortInstalled) return;
  lastResortInstalled = true;
  const lastResort = (error: unknown) => {
    report(codedFailure(error), error);
    process.exit();
  };
  process.on("uncaughtException", lastResort);
  process.on("unhandledRejection", lastResort);
}

function report(failure: LexError, original: unknown): void {
  const cause = original instanceof Error && original.cause instanceof Error ? original.cause : undefined;
  failureLogger().debug(
    { err: failure, stack: original instanceof Error ? original.stack : undefined, causeStack: cause?.stack },
    "command failed",
  );
  const provider = failure.providerCode ? ` (provider code ${failure.providerCode})` : "";
  process.stderr.write(`lexbridge: [${failure.code}] ${failure.message}${provider}\n`);
  process.stderr.write(`  fix: ${catalogueEntry(failure.code).fix}\n`);
  process.exitCode = failure.kind === "config" ? 2 : 1;
}

/** `lexbridge match accept`: the command the arguments name, as far as they name one. */
function commandPath(program: Command, args: string[]): string {
  const names = [program.name()];
  let command = program;
  for (const arg of args) {
    const next = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!next) break;
    names.push(next.name());
    command = next;
  }
  return names.join(" ");
}
