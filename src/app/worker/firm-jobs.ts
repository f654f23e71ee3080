/**
 * The jobs a scale-mode installation queues for its firms (graphile-worker), and how each is
 * queued: every job of one firm goes to the firm's own queue, which graphile-worker runs one job
 * at a time, so one firm's jobs never overlap (and its QBO and Clio rate budgets live with the one
 * worker that holds it). A firm's periodic pass has a job key, so it is queued once however often
 * it is asked for.
 */
export const FIRM_TASK = "lexbridge_firm_job";

export type FirmJobKind = "pass" | "resync" | "reconcile";

export interface FirmJobPayload {
  firmId: string;
  kind: FirmJobKind;
  /** resync: retry this open Sync Status item … */
  itemId?: number;
  /** … or every open item with this code (like `lexbridge resync`); the pass runs either way. */
  code?: string;
}

export interface FirmJobSpec {
  queueName: string;
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at";
  runAt?: Date;
}

export const firmQueue = (firmId: string) => `firm:${firmId}`;

/** How a firm's job is queued: on the firm's queue; the periodic pass under its job key. */
export function firmJobSpec(payload: FirmJobPayload, runAt?: Date): FirmJobSpec {
  const queueName = firmQueue(payload.firmId);
  if (payload.kind !== "pass") return { queueName, ...(runAt ? { runAt } : {}) };
  return {
    queueName,
    jobKey: `pass:${payload.firmId}`,
    // The next periodic pass moves when it is asked for again; a first one keeps its time.
    jobKeyMode: runAt ? "replace" : "preserve_run_at",
    ...(runAt ? { runAt } : {}),
  };
}

export function isFirmJobPayload(value: unknown): value is FirmJobPayload {
  const v = value as FirmJobPayload | null;
  return (
    typeof v?.firmId === "string" && (v.kind === "pass" || v.kind === "resync" || v.kind === "reconcile")
  );
}
