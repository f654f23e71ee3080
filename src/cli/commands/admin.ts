import type { Command } from "commander";
import { LexError } from "../../core/errors.ts";
import { setAdminPassword } from "../../web/admin-password.ts";
import { addConfigOptions } from "../config-options.ts";
import { withStore } from "../context.ts";
import { readSecret, SecretInputCancelled } from "../read-secret.ts";

/** `lexbridge admin set-password`: the dashboard's admin password, typed twice (or piped once). */
export function registerAdmin(program: Command): void {
  const admin = program.command("admin").description("the dashboard's admin account");
  addConfigOptions(
    admin
      .command("set-password")
      .description(
        "set or change the dashboard admin password (read from the terminal without echo, or stdin)",
      ),
  ).action(async (_opts, command: Command) => {
    let password: string;
    try {
      password = await readSecret("New admin password: ");
      if (process.stdin.isTTY && (await readSecret("Once more: ")) !== password)
        throw new LexError("config_invalid", "The two passwords differ; nothing was changed");
    } catch (error) {
      if (!(error instanceof SecretInputCancelled)) throw error;
      process.exitCode = 130; // as a shell reports Ctrl+C
      return;
    }
    // No data-dir lock: this writes one row (SQLite serialises it) and may run while serve does.
    await withStore(command, (store) => setAdminPassword(store, password, Date.now()));
    process.stdout.write("Admin password set; every dashboard session was logged out.\n");
  });
}
