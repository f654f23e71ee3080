import type { Pool } from "pg";

/**
 * What this installation's workers did, in PostgreSQL (job_log, worker_processes): each job a
 * worker started for a firm, and each worker process's heartbeat. A process that stops beating
 * (SIGKILL, a lost machine) is dead: its running jobs are closed as `abandoned` at the time that
 * was seen, and graphile-worker is told to unlock them (forceUnlockWorkers), so another worker
 * retries them at once rather than after graphile-worker's 4-hour lock expiry.
 */
export class JobLog {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async started(entry: {
    firmId: string;
    jobId: string;
    kind: string;
    attempt: number;
    processId: string;
    workerId: string;
    at: number;
  }): Promise<number> {
    const result = await this.pool.query<{ id: string }>(
      `INSERT INTO job_log (firm_id, job_id, kind, attempt, process_id, worker_id, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [entry.firmId, entry.jobId, entry.kind, entry.attempt, entry.processId, entry.workerId, entry.at],
    );
    return Number(result.rows[0]!.id);
  }

  async finished(firmId: string, id: number, outcome: string, at: number): Promise<void> {
    await this.pool.query(
      "UPDATE job_log SET finished_at = $3, outcome = $4 WHERE firm_id = $1 AND id = $2",
      [firmId, id, at, outcome],
    );
  }

  async beat(process: { processId: string; host: string; pid: number; concurrency: number }, at: number) {
    await this.pool.query(
      `INSERT INTO worker_processes (process_id, host, pid, concurrency, started_at, beat_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (process_id) DO UPDATE SET beat_at = EXCLUDED.beat_at`,
      [process.processId, process.host, process.pid, process.concurrency, at],
    );
  }

  async left(processId: string): Promise<void> {
    await this.pool.query("DELETE FROM worker_processes WHERE process_id = $1", [processId]);
  }

  /**
   * Closes the running jobs of processes silent since `deadBefore` and forgets those processes;
   * returns the graphile-worker worker ids that held them (to unlock). One statement, so two
   * workers sweeping at once close each job once.
   */
  async sweepDead(deadBefore: number, at: number): Promise<string[]> {
    const result = await this.pool.query<{ worker_id: string }>(
      `WITH dead AS (
         DELETE FROM worker_processes WHERE beat_at < $1 RETURNING process_id
       )
       UPDATE job_log SET finished_at = $2, outcome = 'abandoned'
       WHERE finished_at IS NULL AND process_id IN (SELECT process_id FROM dead)
       RETURNING worker_id`,
      [deadBefore, at],
    );
    return [...new Set(result.rows.map((r) => r.worker_id))];
  }

  /**
   * Deletes finished jobs older than `keepDays` and, per firm, all but its `keepPerFirm` newest
   * finished ones; returns how many. A running job (no finished_at) is never deleted: the sweep
   * of dead processes needs it. One statement, so two workers pruning at once delete each row once.
   */
  async prune(policy: JobLogRetention, now: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM job_log j USING (
         SELECT firm_id, id FROM (
           SELECT firm_id, id, finished_at,
             row_number() OVER (PARTITION BY firm_id ORDER BY finished_at DESC, id DESC) AS newer
           FROM job_log WHERE finished_at IS NOT NULL
         ) ranked
         WHERE finished_at < $1 OR newer > $2
       ) old
       WHERE j.firm_id = old.firm_id AND j.id = old.id`,
      [now - policy.keepDays * 86_400_000, policy.keepPerFirm],
    );
    return result.rowCount ?? 0;
  }
}

/** How much of the job log to keep (configuration: jobLogKeepDays, jobLogKeepPerFirm). */
export interface JobLogRetention {
  keepDays: number;
  keepPerFirm: number;
}

export const retentionOf = (config: {
  jobLogKeepDays: number;
  jobLogKeepPerFirm: number;
}): JobLogRetention => ({
  keepDays: config.jobLogKeepDays,
  keepPerFirm: config.jobLogKeepPerFirm,
});
