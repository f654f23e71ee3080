import type { Pool } from "pg";
import type { PassRunner, PassRunnerStatus } from "../pass-runner.ts";
import type { FirmJobPayload } from "../worker/firm-jobs.ts";
import type { FirmJobQueue } from "./firm-job-queue.ts";

type LogRow = { kind: string; started_at: string; finished_at: string | null; outcome: string | null };

/**
 * A firm's passes as its dashboard pages see them in scale mode: the workers run them, so
 * "run a pass now" queues one on the firm's queue and resolves when a worker has ended it, and
 * the pass line comes from job_log. status() is what refresh() last read (pages read it while
 * rendering), so the dashboard refreshes it before each request of the firm's pages.
 */
export class FirmJobRunner implements Pick<PassRunner, "runNow" | "status"> {
  readonly #firmId: string;
  readonly #queue: Pick<FirmJobQueue, "add" | "ended">;
  readonly #pool: Pool;
  #status: PassRunnerStatus = { running: false };

  constructor(firmId: string, queue: Pick<FirmJobQueue, "add" | "ended">, pool: Pool) {
    this.#firmId = firmId;
    this.#queue = queue;
    this.#pool = pool;
  }

  status(): PassRunnerStatus {
    return { ...this.#status };
  }

  runNow(): Promise<void> {
    return this.run({ firmId: this.#firmId, kind: "pass" });
  }

  /** Queues a job of this firm and resolves when a worker has ended it (or the watch gave up). */
  async run(payload: FirmJobPayload): Promise<void> {
    const jobId = await this.#queue.add({ ...payload, firmId: this.#firmId });
    await this.#queue.ended(this.#firmId, jobId);
  }

  /** Reads the firm's last jobs from job_log. */
  async refresh(): Promise<void> {
    const result = await this.#pool.query<LogRow>(
      `SELECT kind, started_at, finished_at, outcome FROM job_log WHERE firm_id = $1 ORDER BY id DESC LIMIT 20`,
      [this.#firmId],
    );
    const [latest] = result.rows;
    const lastEnded = result.rows.find((r) => r.finished_at !== null);
    const status: PassRunnerStatus = { running: latest !== undefined && latest.finished_at === null };
    if (latest) status.lastStartedAt = Number(latest.started_at);
    if (lastEnded) {
      status.lastFinishedAt = Number(lastEnded.finished_at);
      if (lastEnded.outcome !== "ok")
        status.lastError = `the worker's ${lastEnded.kind} job ended ${lastEnded.outcome}; the worker's log has the details`;
    }
    this.#status = status;
  }
}
