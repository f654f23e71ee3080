import type { Command } from "commander";
import { checkFirmId, firmSettingsFrom, parseFirmSettings } from "../../app/firm-settings.ts";
import { firmsNeedDatabase, firmUnknown, openDatabase } from "../../app/open-store.ts";
import type { FirmJobPayload } from "../../app/worker/firm-jobs.ts";
import { queueFirmJob } from "../../app/worker/firm-worker.ts";
import { JobLog, retentionOf } from "../../app/worker/job-log.ts";
import { LexError } from "../../core/errors.ts";
import { type FirmRecord, FirmRegistry } from "../../store/postgres/firm-registry.ts";
import type { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { addConfigOptions } from "../config-options.ts";
import { commandConfig } from "../context.ts";
import { wholeNumber } from "../option-parsers.ts";
import { print, printableLines } from "../output.ts";

/** Runs `fn` with the scale-mode database's list of firms; without databaseUrl, a coded error. */
async function withFirms<T>(
  command: Command,
  fn: (registry: FirmRegistry, database: PostgresDatabase) => Promise<T>,
): Promise<T> {
  const config = commandConfig(command);
  if (!config.databaseUrl) throw firmsNeedDatabase("`lexbridge firms`");
  const database = await openDatabase(config.databaseUrl);
  try {
    return await fn(new FirmRegistry(database.pool), database);
  } finally {
    await database.close();
  }
}

function firmLines(firm: FirmRecord): string[] {
  const settings = Object.entries(firm.settings).map(([key, value]) => `  ${key}: ${String(value)}`);
  return [`${firm.id}  ${firm.name}  (added ${new Date(firm.createdAt).toISOString()})`, ...settings];
}

export function registerFirms(program: Command): void {
  const firms = program
    .command("firms")
    .description("scale mode (--database-url): the firms this installation keeps in sync");

  addConfigOptions(
    firms
      .command("add")
      .argument("<id>", "the firm's id: lowercase letters, digits, - and _ (e.g. smith-law)")
      .description(
        "add a firm; the firm settings given here (its Clio host, QBO company, start date, …) are its own",
      )
      .option("--name <name>", "the firm's name as people see it (default: the id)")
      .option("--json", "machine-readable output"),
  ).action(async (id: string, opts, command: Command) => {
    const firm: FirmRecord = {
      id: checkFirmId(id),
      name: opts.name ?? id,
      settings: firmSettingsFrom(command.opts()),
      createdAt: Date.now(),
    };
    await withFirms(command, async (registry, database) => {
      if (!(await registry.add(firm)))
        throw new LexError("firm_exists", `A firm with the id "${id}" exists already`);
      // Its first pass, for the workers running now (a worker starting queues one for each firm).
      await queueFirmJob(database, { firmId: id, kind: "pass" });
      print(opts.json, firm, [
        `Added firm ${id}.`,
        `Next: lexbridge connect qbo --firm ${id} and lexbridge connect clio --firm ${id}, then lexbridge firms queue ${id} pass (until both are connected its pass stops with a coded warning in the worker's log and is tried again each interval).`,
      ]);
    });
  });

  addConfigOptions(
    firms.command("list").description("the firms, by id").option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    await withFirms(command, async (registry) => {
      const all = await registry.list();
      print(
        opts.json,
        all,
        all.length === 0
          ? ["No firms yet: lexbridge firms add <id>."]
          : printableLines(all.map((f) => `${f.id}  ${f.name}`)),
      );
    });
  });

  addConfigOptions(
    firms
      .command("show")
      .argument("<id>", "the firm's id")
      .description("one firm: its name and settings")
      .option("--json", "machine-readable output"),
  ).action(async (id: string, opts, command: Command) => {
    await withFirms(command, async (registry) => {
      const firm = await registry.get(id);
      if (!firm) throw firmUnknown(id);
      print(opts.json, firm, printableLines(firmLines(firm)));
    });
  });

  addConfigOptions(
    firms
      .command("remove")
      .argument("<id>", "the firm's id")
      .description(
        "remove a firm and delete all its data here (links, outbox, Sync Status, audit, connections)",
      )
      .option("--yes", "confirm: the firm's data is deleted, not kept")
      .option("--json", "machine-readable output"),
  ).action(async (id: string, opts, command: Command) => {
    if (!opts.yes)
      command.error("removing a firm deletes all its data here: add --yes to confirm", { exitCode: 2 });
    await withFirms(command, async (registry) => {
      if (!(await registry.remove(id))) throw firmUnknown(id);
      print(opts.json, { removed: id }, [`Removed firm ${id} and its data.`]);
    });
  });

  addConfigOptions(
    firms
      .command("queue")
      .argument("<id>", "the firm's id")
      .argument("<job>", "pass, resync or reconcile")
      .description(
        "ask the workers for a job for one firm: a pass now, a re-sync (with --item or --code), a reconciliation",
      )
      .option("--item <id>", "resync: the Sync Status item to retry", wholeNumber(1))
      .option("--code <code>", "resync: retry every open item with this code")
      .option("--json", "machine-readable output"),
  ).action(async (id: string, job: string, opts, command: Command) => {
    if (job !== "pass" && job !== "resync" && job !== "reconcile")
      command.error(`the job is pass, resync or reconcile, not "${job}"`, { exitCode: 2 });
    if (job === "resync" && opts.item === undefined && opts.code === undefined)
      command.error("a resync job needs --item ID or --code CODE", { exitCode: 2 });
    const payload: FirmJobPayload = {
      firmId: id,
      kind: job as FirmJobPayload["kind"],
      ...(opts.item !== undefined ? { itemId: opts.item } : {}),
      ...(opts.code !== undefined ? { code: opts.code } : {}),
    };
    await withFirms(command, async (registry, database) => {
      if (!(await registry.get(id))) throw firmUnknown(id);
      await queueFirmJob(database, payload);
      print(opts.json, payload, [
        `Queued a ${job} job for ${id}; a worker runs it when the firm's earlier jobs are done.`,
      ]);
    });
  });

  addConfigOptions(
    firms
      .command("set")
      .argument("<id>", "the firm's id")
      .argument("<settings...>", "key=value (key= drops the firm's own value), e.g. syncIntervalSeconds=600")
      .description(
        "change a firm's own settings (checked as the configuration checks them); its next job uses them",
      )
      .option("--json", "machine-readable output"),
  ).action(async (id: string, pairs: string[], opts, command: Command) => {
    const change = parseFirmSettings(pairs);
    await withFirms(command, async (registry) => {
      const firm = await registry.updateSettings(id, change);
      if (!firm) throw firmUnknown(id);
      print(opts.json, firm, printableLines([`Changed firm ${id}; its next job uses:`, ...firmLines(firm)]));
    });
  });

  addConfigOptions(
    firms
      .command("prune")
      .description(
        "delete old entries of the job log now (workers do it hourly): those older than jobLogKeepDays, and beyond jobLogKeepPerFirm per firm",
      )
      .option("--json", "machine-readable output"),
  ).action(async (opts, command: Command) => {
    const retention = retentionOf(commandConfig(command));
    await withFirms(command, async (_registry, database) => {
      const deleted = await new JobLog(database.pool).prune(retention, Date.now());
      print(opts.json, { deleted, ...retention }, [
        `Deleted ${deleted} job log entries (kept the last ${retention.keepDays} days, at most ${retention.keepPerFirm} per firm).`,
      ]);
    });
  });
}
