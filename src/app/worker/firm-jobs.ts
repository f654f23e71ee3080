/**
 * The jobs a scale-mode installation queues for its firms (graphile-worker), and how each is
 * queued: every job of one firm goes to the firm's own queue, which graphile-worker runs one job
 * at a time, so one firm's jobs never overlap (and its QBO and Clio rate budgets live with the one
 * worker that holds it). A firm's periodic pass has a job key, so it is queued once however often
 * it is asked for.
 */
export const FIRM_TASK = "lexbridge_firm_job";

import type { SyncTargets } from "../../engine/targeted-reads.ts";

export type FirmJobKind = "pass" | "resync" | "reconcile" | "targeted";

const KINDS: ReadonlySet<string> = new Set<FirmJobKind>(["pass", "resync", "reconcile", "targeted"]);

export interface FirmJobPayload {
  firmId: string;
  kind: FirmJobKind;
  /** resync: retry this open Sync Status item … */
  itemId?: number;
  /** … or every open item with this code (like `lexbridge resync`); the pass runs either way. */
  code?: string;
  /** targeted: the records a webhook delivery named (change-sync.ts decided they are targetable). */
  targets?: SyncTargets;
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
  if (typeof v?.firmId !== "string" || !KINDS.has(v.kind)) return false;
  return v.kind !== "targeted" || isSyncTargets(v.targets);
}

/** A queued payload is JSON from the database: a targeted job's records are checked before use. */
function isSyncTargets(value: unknown): value is SyncTargets {
  const t = value as SyncTargets | undefined;
  const ids = (list: unknown) => Array.isArray(list) && list.every((id) => typeof id === "string");
  return (
    ids(t?.contacts) &&
    ids(t?.bills) &&
    Array.isArray(t?.qbo) &&
    t.qbo.every((r) => typeof r?.entity === "string" && typeof r?.id === "string")
  );
}
