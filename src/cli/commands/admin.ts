import type { Command } from "commander";
import { firmUnknown, openDatabase } from "../../app/open-store.ts";
import { LexError } from "../../core/errors.ts";
import { DashboardUsers } from "../../store/postgres/dashboard-users.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
import { ADMIN_USER, checkPasswordStrength, setAdminPassword } from "../../web/admin-password.ts";
import { hashPassword } from "../../web/password-hash.ts";
import { addConfigOptions } from "../config-options.ts";
import { commandConfig, withStore } from "../context.ts";
import { print, printableLines } from "../output.ts";
import { readSecret, SecretInputCancelled } from "../read-secret.ts";

/** A new password, typed twice on a terminal (or piped once); undefined when Ctrl+C cancelled it. */
async function readNewPassword(prompt: string): Promise<string | undefined> {
  try {
    const password = await readSecret(prompt);
    if (process.stdin.isTTY && (await readSecret("Once more: ")) !== password)
      throw new LexError("config_invalid", "The two passwords differ; nothing was changed");
    return password;
  } catch (error) {
    if (!(error instanceof SecretInputCancelled)) throw error;
    process.exitCode = 130; // as a shell reports Ctrl+C
    return undefined;
  }
}

/** Runs `fn` with scale mode's dashboard users (and the firms); the command works in scale mode only. */
async function withUsers<T>(
  command: Command,
  fn: (users: DashboardUsers, firms: FirmRegistry) => Promise<T>,
): Promise<T> {
  const config = commandConfig(command);
  if (!config.databaseUrl)
    throw new LexError(
      "firms_need_database",
      "Dashboard users of many firms exist in scale mode only: give the PostgreSQL database with --database-url (or DATABASE_URL)",
    );
  const database = await openDatabase(config.databaseUrl);
  try {
    return await fn(new DashboardUsers(database.pool), new FirmRegistry(database.pool));
  } finally {
    await database.close();
  }
}

/**
 * `lexbridge admin …`: the dashboard's accounts. Embedded mode has one, `admin`
 * (`set-password`). Scale mode (a database URL) has the installation's users: integrator admins,
 * who see every firm, and each firm's users, who see only theirs (`add-user`, `list-users`,
 * `remove-user`; `set-password --user`).
 */
export function registerAdmin(program: Command): void {
  const admin = program.command("admin").description("the dashboard's accounts");
  addConfigOptions(
    admin
      .command("set-password")
      .description(
        "set or change a dashboard password (read from the terminal without echo, or stdin); ends the user's sessions",
      )
      .option("--user <name>", "scale mode: the dashboard user whose password this is", ADMIN_USER),
  ).action(async (opts, command: Command) => {
    const config = commandConfig(command);
    const password = await readNewPassword(`New password for ${opts.user}: `);
    if (password === undefined) return;
    if (config.databaseUrl) {
      await withUsers(command, async (users) => {
        // `admin` may be made here (an integrator's admin, as serve's first start makes it); others are added.
        if (opts.user !== ADMIN_USER && !(await users.get(opts.user)))
          throw new LexError("dashboard_user_unknown", `No dashboard user is called "${opts.user}"`);
        await setAdminPassword(users, password, Date.now(), opts.user);
      });
      process.stdout.write(
        `Password of ${opts.user} set; every dashboard session of ${opts.user} was logged out.\n`,
      );
      return;
    }
    // No data-dir lock: this writes one row (SQLite serialises it) and may run while serve does.
    await withStore(command, (store) => setAdminPassword(store, password, Date.now()));
    process.stdout.write("Admin password set; every dashboard session was logged out.\n");
  });

  addConfigOptions(
    admin
      .command("add-user")
      .argument("<name>", "the user's login name (unique in the installation)")
      .description(
        "scale mode: add a dashboard user, of one firm (--firm <id>: sees that firm only) or an integrator's admin (--integrator: every firm)",
      )
      .option("--integrator", "an integrator's admin: sees every firm and may add firms")
      .option("--json", "machine-readable output"),
  ).action(async (name: string, opts, command: Command) => {
    const { firm } = commandConfig(command);
    if (Boolean(firm) === Boolean(opts.integrator))
      throw new LexError(
        "dashboard_user_role_missing",
        firm ? "--firm and --integrator exclude each other" : "Neither --firm nor --integrator was given",
      );
    if (!name.trim() || name !== name.trim())
      command.error("the user name is not empty and has no surrounding spaces", { exitCode: 2 });
    await withUsers(command, async (users, firms) => {
      if (firm && !(await firms.get(firm))) throw firmUnknown(firm);
      if (await users.get(name))
        throw new LexError("dashboard_user_exists", `A dashboard user is called "${name}" already`);
      const password = await readNewPassword(`Password for ${name}: `);
      if (password === undefined) return;
      checkPasswordStrength(password);
      if (
        !(await users.add(
          { name, ...(firm ? { firmId: firm } : {}) },
          await hashPassword(password),
          Date.now(),
        ))
      )
        throw new LexError("dashboard_user_exists", `A dashboard user is called "${name}" already`);
      print(opts.json, { name, firm: firm ?? null }, [
        firm
          ? `Added ${name}, a user of firm ${firm}.`
          : `Added ${name}, an integrator's admin (every firm).`,
      ]);
    });
  });

  addConfigOptions(
    admin
      .command("list-users")
      .description("scale mode: the dashboard users and whose they are")
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withUsers(command, async (users) => {
      const all = await users.list();
      print(
        opts.json,
        all.map((u) => ({ name: u.name, firm: u.firmId ?? null })),
        all.length === 0
          ? ["No dashboard users yet."]
          : printableLines(
              all.map((u) => `${u.name}  ${u.firmId ? `firm ${u.firmId}` : "integrator admin (every firm)"}`),
            ),
      );
    });
  });

  addConfigOptions(
    admin
      .command("remove-user")
      .argument("<name>", "the user's login name")
      .description("scale mode: remove a dashboard user; its sessions end")
      .option("--json", "machine-readable output"),
  ).action(async (name: string, opts, command: Command) => {
    await withUsers(command, async (users) => {
      if (!(await users.remove(name)))
        throw new LexError("dashboard_user_unknown", `No dashboard user is called "${name}"`);
      print(opts.json, { removed: name }, [`Removed ${name}; its dashboard sessions ended.`]);
    });
  });
}
