import { isLexError, type LexError } from "../core/errors.ts";
import { formatMoney, parseMoney } from "../core/money.ts";
import type { BatchItem, BatchItemResult } from "../qbo/client.ts";
import type { OutboxOperation, WriteUnit } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { fromOutbox, type PlannedOperation, toOutbox } from "./operation.ts";
import type { EngineDeps } from "./ports.ts";

export const BATCH_SIZE = 30;

export interface ExecutionStats {
  sent: number;
  succeeded: number;
  failed: number;
  batches: number;
}

export interface ExecutionHooks {
  runId: string;
  /** Called after each batch with the operations it finished, for progress bars. */
  onProgress?: (done: number) => void;
  /** Extra changes to commit with a successful operation (e.g. a follow-up operation). */
  onSuccess?: (op: PlannedOperation, value: Record<string, unknown>, unit: WriteUnit) => Promise<void> | void;
}

/**
 * Sends planned operations to QBO in batches of up to 30. Each batch is written to the outbox —
 * with its batch id, which is also its `requestid` — before it is sent, so after a crash the very
 * same batch is sent again and QBO answers with the original response instead of writing twice.
 * Each item's outcome is committed atomically with its link, issue, audit entry and mirror state.
 * A batch that fails as a whole (after the HTTP layer's retries) stays pending and stops the pass.
 */
export async function executeOperations(
  deps: EngineDeps,
  ops: PlannedOperation[],
  hooks: ExecutionHooks,
): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const batches: PlannedOperation[][] = [];
  for (let i = 0; i < ops.length; i += BATCH_SIZE) batches.push(ops.slice(i, i + BATCH_SIZE));
  const now = deps.clock.now();
  const outbox: OutboxOperation[] = [];
  for (const batch of batches) {
    const batchId = requestIdFor(batch.map((o) => o.requestId));
    for (const op of batch) outbox.push(toOutbox(op, batchId, now));
  }
  if (outbox.length > 0) await deps.store.commit({ outboxAdd: outbox }, now);
  await sendBatches(deps, groupByBatch(outbox), hooks, stats);
  return stats;
}

/** Sends whatever the outbox still holds (a crash left it there), batch by stored batch. */
export async function replayOutbox(deps: EngineDeps, hooks: ExecutionHooks): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const pending = await deps.store.pendingOperations();
  const bySeq = new Map<number, OutboxOperation[]>();
  for (const op of pending) bySeq.set(op.seq, [...(bySeq.get(op.seq) ?? []), op]);
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    await sendBatches(deps, groupByBatch(bySeq.get(seq)!), hooks, stats);
  }
  return stats;
}

function groupByBatch(ops: OutboxOperation[]): Array<{ batchId: string; ops: PlannedOperation[] }> {
  const groups = new Map<string, PlannedOperation[]>();
  for (const op of ops) {
    const id = op.batchId ?? op.requestId;
    groups.set(id, [...(groups.get(id) ?? []), fromOutbox(op)]);
  }
  return [...groups.entries()].map(([batchId, list]) => ({ batchId, ops: list }));
}

async function sendBatches(
  deps: EngineDeps,
  batches: Array<{ batchId: string; ops: PlannedOperation[] }>,
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await sendBatch(deps, batch.batchId, batch.ops, hooks, stats);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  const workers = Math.max(1, Math.min(deps.settings.batchConcurrency, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure;
}

async function sendBatch(
  deps: EngineDeps,
  batchId: string,
  ops: PlannedOperation[],
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  const items: BatchItem[] = ops.map((op, index) => toBatchItem(op, `b${index}`));
  const result = await deps.qbo.batch(items, { requestId: batchId });
  stats.batches++;
  stats.sent += ops.length;
  if (!result.ok) throw result.error;
  const byId = new Map(result.value.map((r) => [r.bId, r]));
  for (const [index, op] of ops.entries()) {
    const item = byId.get(`b${index}`);
    await finish(deps, op, item, hooks, stats);
  }
  hooks.onProgress?.(ops.length);
}

function toBatchItem(op: PlannedOperation, bId: string): BatchItem {
  const p = op.payload;
  if (p.operation === "void" && p.qboEntity === "Invoice") {
    return { bId, operation: "void", entity: "Invoice", body: p.body as { Id: string; SyncToken: string } };
  }
  const operation = p.operation === "void" ? "update" : p.operation;
  return { bId, operation, entity: p.qboEntity, body: p.body, ...(p.options ? { options: p.options } : {}) };
}

async function finish(
  deps: EngineDeps,
  op: PlannedOperation,
  item: BatchItemResult | undefined,
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  const at = deps.clock.now();
  const p = op.payload;
  const unit: WriteUnit = { outboxDone: [op.requestId], mirrorClean: p.sources };
  if (item?.ok) {
    const value = (item.value ?? {}) as Record<string, unknown>;
    const qboId = String(value.Id ?? (p.body as { Id?: string }).Id ?? "");
    if (p.linkAfter === "delete") unit.deleteLinks = [{ entity: op.entity, clioId: op.clioId }];
    else {
      unit.links = [
        {
          entity: op.entity,
          clioId: op.clioId,
          qboId,
          syncToken: String(value.SyncToken ?? "0"),
          contentHash: p.contentHash,
          base: p.base ?? null,
          state: "linked",
          updatedAt: at,
        },
      ];
    }
    unit.audit = [
      {
        at,
        runId: hooks.runId,
        requestId: op.requestId,
        entity: op.entity,
        action: op.action,
        clioId: op.clioId,
        qboId,
        before: p.before,
        after: p.body,
        outcome: "ok",
      },
    ];
    const mismatch = totalMismatch(p.expectedTotal, value.TotalAmt);
    if (mismatch) unit.issues = [{ ...p.issue, qboId, code: "sync_total_mismatch", message: mismatch }];
    else unit.resolveIssues = [p.issue.key];
    await hooks.onSuccess?.(op, value, unit);
    stats.succeeded++;
  } else {
    const error = item && !item.ok ? item.error : undefined;
    if (error && isLexError(error) && error.kind === "transient") {
      // Leave it to the next pass: the outbox entry stays pending and is replayed as is.
      throw error;
    }
    unit.outboxDone = [];
    unit.outboxFailed = [op.requestId];
    unit.issues = [issueFromError(op, error)];
    unit.audit = [
      {
        at,
        runId: hooks.runId,
        requestId: op.requestId,
        entity: op.entity,
        action: op.action,
        clioId: op.clioId,
        after: p.body,
        outcome: "failed",
        detail: error
          ? `${error.code}${error.providerCode ? ` (QBO ${error.providerCode})` : ""}: ${error.message}`
          : "no answer for this item",
      },
    ];
    if (error?.code === "qbo_stale_object") {
      // Someone edited the record in QBO meanwhile: keep the source dirty so the next pass re-plans with a fresh SyncToken.
      unit.mirrorClean = [];
      unit.issues = [];
      unit.links = await refreshedLink(deps, op);
    }
    stats.failed++;
  }
  await deps.store.commit(unit, at);
}

function issueFromError(op: PlannedOperation, error: LexError | undefined) {
  const p = op.payload;
  const code =
    error?.code === "qbo_deposited_payment" ? "sync_payment_deposited" : (error?.code ?? "internal_error");
  return {
    ...p.issue,
    code,
    message: error?.message ?? "QuickBooks gave no answer for this item of the batch",
    ...(error?.providerCode ? { providerCode: error.providerCode } : {}),
    ...(error?.details && Object.keys(error.details).length ? { details: error.details } : {}),
  };
}

function totalMismatch(expected: string | undefined, actual: unknown): string | undefined {
  if (expected === undefined) return undefined;
  let got: string;
  try {
    got = formatMoney(parseMoney(actual as number));
  } catch {
    return `QuickBooks reported no usable total (${String(actual)}); expected ${expected}`;
  }
  return got === expected
    ? undefined
    : `QuickBooks total ${got} differs from the Clio bill total ${expected}`;
}

/** After a 5010, store the SyncToken QBO has now, so the re-planned update carries it. */
async function refreshedLink(deps: EngineDeps, op: PlannedOperation) {
  const link = await deps.store.getLink(op.entity, op.clioId);
  if (!link) return [];
  const fresh = await deps.qbo.read(op.payload.qboEntity, link.qboId);
  if (!fresh.ok) return [];
  const value = fresh.value as Record<string, unknown>;
  return [
    {
      ...link,
      syncToken: String(value.SyncToken ?? link.syncToken),
      contentHash: "stale",
      updatedAt: deps.clock.now(),
    },
  ];
}
