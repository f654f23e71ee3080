import { type Command, Option } from "commander";
import { firmsNeedDatabase, openDatabase } from "../../app/open-store.ts";
import { startFirmWorker } from "../../app/worker/firm-worker.ts";
import { cliLogger } from "../cli-logger.ts";
import { addConfigOptions } from "../config-options.ts";
import { commandConfig } from "../context.ts";
import { wholeNumber } from "../option-parsers.ts";

export function registerWorker(program: Command): void {
  addConfigOptions(
    program
      .command("worker")
      .description(
        "scale mode (--database-url): run the firms' passes, re-syncs and reconciliations from the job queue; start one on each machine",
      )
      .option("--concurrency <n>", "firms this process works on at once", wholeNumber(1), 4)
      .option(
        "--stale-after-seconds <s>",
        "a worker process silent this long is dead: its jobs go to another worker",
        wholeNumber(1),
        30,
      )
      // Benchmarks only (npm run bench -- firms): emulators whose quota minutes are compressed.
      .addOption(new Option("--quota-time-scale <n>").argParser(wholeNumber(1)).hideHelp()),
  ).action(async (opts, command: Command) => {
    const config = commandConfig(command);
    if (!config.databaseUrl) throw firmsNeedDatabase("`lexbridge worker`");
    // Each running job holds a connection or two; graphile-worker and the heartbeat one more each.
    const database = await openDatabase(config.databaseUrl, opts.concurrency * 2 + 4);
    let fatal: (error: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fatal = reject;
    });
    const worker = await startFirmWorker({
      onFatal: (error) => fatal(error),
      config,
      database,
      logger: cliLogger(config),
      concurrency: opts.concurrency,
      staleAfterMs: opts.staleAfterSeconds * 1000,
      ...(opts.quotaTimeScale ? { quotaTimeScale: opts.quotaTimeScale } : {}),
    });
    process.stdout.write(`lexbridge worker: running (concurrency ${opts.concurrency})\n`);
    const signalled = new Promise<void>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
    });
    try {
      await Promise.race([signalled, failed]);
    } finally {
      // Graceful: the jobs running finish (graphile-worker waits for them), then the queue lets go.
      await worker.stop();
      await database.close();
    }
  });
}
