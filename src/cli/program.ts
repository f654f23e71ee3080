import { Command } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { registerAdmin } from "./commands/admin.ts";
import { registerAudit } from "./commands/audit.ts";
import { registerConnect } from "./commands/connect.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerEmulate } from "./commands/emulate.ts";
import { registerFirms } from "./commands/firms.ts";
import { registerMatch } from "./commands/match.ts";
import { registerReconcile } from "./commands/reconcile.ts";
import { registerResync } from "./commands/resync.ts";
import { registerServe } from "./commands/serve.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSync } from "./commands/sync.ts";
import { registerWorker } from "./commands/worker.ts";
import { configHelpText } from "./config-options.ts";

/**
 * Builds the `lexbridge` command tree. Each command lives in its own file under `commands/` and
 * only wires pieces together; no business rule lives in the CLI.
 */
export function buildProgram(): Command {
  const program = new Command("lexbridge")
    .description("Keeps Clio Manage and QuickBooks Online in sync.")
    .version(packageJson.version, "-V, --version", "print the lexbridge version")
    .exitOverride()
    // main() prints commander's refusals as coded errors; set before the commands so they inherit it.
    .configureOutput({ outputError: () => {} })
    .addHelpText("after", configHelpText());
  for (const register of [
    registerDemo,
    registerSync,
    registerServe,
    registerAdmin,
    registerConnect,
    registerStatus,
    registerResync,
    registerMatch,
    registerDoctor,
    registerReconcile,
    registerAudit,
    registerEmulate,
    registerFirms,
    registerWorker,
  ]) {
    register(program);
  }
  return program;
}
