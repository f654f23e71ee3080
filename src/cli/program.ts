import { Command } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { configHelpText } from "./config-options.ts";

/**
 * Builds the `lexbridge` command tree. Each command lives in its own file under `commands/` and
 * only wires pieces together; no business rule lives in the CLI.
 */
export function buildProgram(): Command {
  const program = new Command("lexbridge")
    .description("Keeps Clio Manage and QuickBooks Online in sync.")
    .version(packageJson.version, "-V, --version", "print the lexbridge version")
    .showHelpAfterError()
    .exitOverride()
    .addHelpText("after", configHelpText());
  return program;
}
