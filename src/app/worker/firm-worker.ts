import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type JobHelpers, makeWorkerUtils, type Runner, run } from "graphile-worker";
import { systemClock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import { isLexError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { reconcile } from "../../engine/reconcile.ts";
import { tryFirmLock } from "../../store/postgres/firm-lock.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
import type { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { createEngine } from "../engine-factory.ts";
import { firmConfig } from "../firm-settings.ts";
import { firmBusy } from "../open-store.ts";
import { FIRM_TASK, type FirmJobPayload, firmJobSpec, isFirmJobPayload } from "./firm-jobs.ts";
import { runFirmSync } from "./firm-sync.ts";
import { keepFirmWebhooks } from "./firm-webhooks.ts";
import { JobLog, retentionOf } from "./job-log.ts";
import { jobQueueLogger } from "./job-queue-log.ts";

/** How often a worker prunes the job log (every worker does; the delete is idempotent). */
const PRUNE_EVERY_MS = 3_600_000;

export interface FirmWorkerOptions {
  config: Config;
  database: PostgresDatabase;
  logger: Logger;
  concurrency: number;
  /** A process silent this long is dead: its jobs are unlocked for another worker. */
  staleAfterMs: number;
  /** The job queue cannot run any more (its runner stopped and cannot start again): the process should end. */
  onFatal?: (error: unknown) => void;
  /** Benchmarks only: the emulators' time scale, so the engine's rate budgets compress the same minute. */
  quotaTimeScale?: number;
}

/** graphile-worker's schema: beside lexbridge's tables (a test's own schema), or its default. */
export async function jobSchemaOf(database: PostgresDatabase): Promise<string> {
  const result = await database.pool.query<{ s: string }>("SELECT current_schema() AS s");
  const current = result.rows[0]!.s;
  return current === "public" ? "graphile_worker" : `${current}_jobs`;
}

/**
 * One worker process of scale mode: graphile-worker runs the firms' jobs, N at a time, each firm's
 * one at a time (its own queue). Each job is written to job_log; the process beats in
 * worker_processes and sweeps processes that stopped beating (see JobLog).
 */
export async function startFirmWorker(options: FirmWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const { database, logger } = options;
  const schema = await jobSchemaOf(database);
  const registry = new FirmRegistry(database.pool);
  const log = new JobLog(database.pool);
  const queueLog = jobQueueLogger(logger);
  const processId = randomUUID();
  const me = { processId, host: hostname(), pid: process.pid, concurrency: options.concurrency };
  await log.beat(me, Date.now());

  const task = async (payload: unknown, helpers: JobHelpers) => {
    if (!isFirmJobPayload(payload)) throw new Error("not a lexbridge firm job");
    const firm = await registry.get(payload.firmId);
    if (!firm) return; // removed since it was queued
    const logId = await log.started({
      firmId: firm.id,
      jobId: helpers.job.id,
      kind: payload.kind,
      attempt: helpers.job.attempts,
      processId,
      workerId: helpers.job.locked_by ?? "unknown",
      at: Date.now(),
    });
    const config = firmConfig(options.config, firm);
    let outcome = "failed";
    // A command working on the firm by hand (sync, connect) holds its lock: this job fails and is
    // retried after graphile-worker's back-off.
    const lock = await tryFirmLock(database.pool, firm.id);
    try {
      if (!lock) throw firmBusy(firm.id);
      const engine = await createEngine(config, logger.child({ firm: firm.id }), {
        store: database.storeFor(firm.id),
        dataDirLock: false,
        ...(options.quotaTimeScale ? { quotaTimeScale: options.quotaTimeScale } : {}),
      });
      try {
        if (payload.kind === "reconcile") await reconcile(engine.deps, { raiseIssues: true });
        else {
          if (payload.kind === "resync")
            await engine.store.requestRetry({
              ...(payload.itemId !== undefined ? { id: payload.itemId } : {}),
              ...(payload.code !== undefined ? { code: payload.code } : {}),
            });
          await runFirmSync(engine.deps, payload, logger);
          // Webhooks reach the firm through serve's routes; a failure here is the next pass's to retry.
          await keepFirmWebhooks(engine, config, database.pool, {
            firmId: firm.id,
            clock: systemClock,
            logger,
          }).catch((error: unknown) =>
            logger.warn({ err: error, firm: firm.id }, "keeping the firm's webhooks failed"),
          );
        }
        outcome = "ok";
      } finally {
        await engine.close();
      }
    } catch (error) {
      // A firm's configuration (not connected, credentials or a setting missing) does not fix
      // itself: the job ends without graphile-worker's 25 retries, the firm's next pass is queued
      // as usual, and `firms queue <id> pass` (or connecting from the dashboard) runs one at once.
      if (!isLexError(error) || error.kind !== "config") throw error;
      outcome = `failed: ${error.code}`;
      logger.warn(
        { err: error, firm: firm.id, job: payload.kind },
        "a firm's job cannot run until its configuration is fixed",
      );
    } finally {
      await lock?.release();
      await log.finished(firm.id, logId, outcome, Date.now());
    }
    if (payload.kind === "pass") {
      const next: FirmJobPayload = { firmId: firm.id, kind: "pass" };
      await helpers.addJob(
        FIRM_TASK,
        next,
        firmJobSpec(next, new Date(Date.now() + config.syncIntervalSeconds * 1000)),
      );
    }
  };

  const startRunner = () =>
    run({
      pgPool: database.pool,
      schema,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      taskList: { [FIRM_TASK]: task },
      // Periodic passes are queued jobs (firmJobSpec), not a crontab file.
      crontab: "",
      logger: queueLog,
    });
  let stopping = false;
  let runner: Runner = await startRunner();
  // graphile-worker shuts its runner down when it is told of a breaking migration of its schema —
  // on a channel (`worker:migrate`) that is the whole database's, so a graphile-worker migrating
  // its tables in *another* schema of the same database (another installation, a test) stops this
  // one too, and the process would go on beating with no runner. It is started again: starting
  // checks the schema this worker uses, and stops the worker with an error if that one really
  // was migrated past what this version knows (an upgrade under a running worker).
  const keepRunning = (current: Runner) => {
    void current.promise
      .catch(() => undefined)
      .then(async () => {
        if (stopping) return;
        logger.warn(
          "the job queue's runner stopped (a graphile-worker migration in this database): starting it again",
        );
        try {
          runner = await startRunner();
          process.exitCode = undefined;
          keepRunning(runner);
        } catch (error) {
          logger.error({ err: error }, "the job queue's runner cannot start again: stopping this worker");
          options.onFatal?.(error);
        }
      });
  };
  keepRunning(runner);
  // Every firm has its periodic pass queued (a firm added since the last worker started gets its first).
  const utils = await makeWorkerUtils({ pgPool: database.pool, schema, logger: queueLog });
  for (const firm of await registry.list()) {
    const payload: FirmJobPayload = { firmId: firm.id, kind: "pass" };
    await utils.addJob(FIRM_TASK, payload, firmJobSpec(payload));
  }

  const beat = setInterval(
    () => {
      void (async () => {
        const now = Date.now();
        await log.beat(me, now);
        const orphans = await log.sweepDead(now - options.staleAfterMs, now);
        if (orphans.length > 0) {
          await utils.forceUnlockWorkers(orphans);
          logger.warn({ workers: orphans }, "unlocked the jobs of a worker process that stopped beating");
        }
      })().catch((error: unknown) => logger.warn({ err: error }, "worker heartbeat failed"));
    },
    Math.max(250, Math.floor(options.staleAfterMs / 4)),
  );

  // The job log grows by a row per job (a firm's pass every few minutes): kept to the retention.
  const prune = () =>
    log
      .prune(retentionOf(options.config), Date.now())
      .then((n) => n > 0 && logger.info({ deleted: n }, "pruned the job log"))
      .catch((error: unknown) => logger.warn({ err: error }, "pruning the job log failed"));
  void prune();
  const pruning = setInterval(() => void prune(), PRUNE_EVERY_MS);

  return {
    stop: async () => {
      stopping = true;
      clearInterval(beat);
      clearInterval(pruning);
      await runner.stop();
      await utils.release();
      await log.left(processId);
    },
  };
}

/** Queues a job for a firm to run now (`lexbridge firms queue`): a pass asked for now moves the periodic one here. */
export async function queueFirmJob(database: PostgresDatabase, payload: FirmJobPayload): Promise<void> {
  const schema = await jobSchemaOf(database);
  const utils = await makeWorkerUtils({ pgPool: database.pool, schema });
  try {
    // The queue's schema may not exist yet (no worker has started on this database).
    await utils.migrate();
    await utils.addJob(FIRM_TASK, payload, firmJobSpec(payload, new Date()));
  } finally {
    await utils.release();
  }
}
