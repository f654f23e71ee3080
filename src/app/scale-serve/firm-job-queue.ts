import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import type { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { FIRM_TASK, type FirmJobPayload, firmJobSpec } from "../worker/firm-jobs.ts";
import { jobSchemaOf } from "../worker/firm-worker.ts";

/** How often serve looks in job_log for the end of a job it queued for a page. */
const POLL_MS = 300;
/** How long it looks: past the pages' own wait (PASS_WAIT_MS), after which they answer anyway. */
const WATCH_MS = 30_000;

/**
 * Serve's side of scale mode's job queue: it queues the firms' jobs (a pass asked for from a
 * page or by a webhook, a re-sync, a reconciliation) for the workers and never runs one itself.
 * One WorkerUtils for the process, on the database's pool; the queue's schema is made if no worker
 * has started yet.
 */
export class FirmJobQueue {
  readonly #utils: WorkerUtils;
  readonly #database: PostgresDatabase;

  private constructor(utils: WorkerUtils, database: PostgresDatabase) {
    this.#utils = utils;
    this.#database = database;
  }

  static async open(database: PostgresDatabase): Promise<FirmJobQueue> {
    const utils = await makeWorkerUtils({ pgPool: database.pool, schema: await jobSchemaOf(database) });
    await utils.migrate();
    return new FirmJobQueue(utils, database);
  }

  /** Queues a job to run now (a pass moves the firm's periodic one here); its graphile-worker id. */
  async add(payload: FirmJobPayload): Promise<string> {
    const job = await this.#utils.addJob(FIRM_TASK, payload, firmJobSpec(payload, new Date()));
    return String(job.id);
  }

  /** Resolves when a worker has ended the job (job_log), or after WATCH_MS; never rejects. */
  async ended(firmId: string, jobId: string): Promise<void> {
    const deadline = Date.now() + WATCH_MS;
    while (Date.now() < deadline) {
      const done = await this.#database.pool
        .query(
          "SELECT 1 FROM job_log WHERE firm_id = $1 AND job_id = $2 AND finished_at IS NOT NULL LIMIT 1",
          [firmId, jobId],
        )
        .then((r) => (r.rowCount ?? 0) > 0)
        .catch(() => false);
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async release(): Promise<void> {
    await this.#utils.release();
  }
}
