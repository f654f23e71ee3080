import { isLexError, type LexError } from "../core/errors.ts";
import { formatMoney, parseMoney } from "../core/money.ts";
import type { BatchItem, BatchItemResult } from "../qbo/client.ts";
import type { OutboxOperation, WriteUnit } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { fromOutbox, type PlannedOperation, toOutbox } from "./operation.ts";
import type { EngineDeps } from "./ports.ts";

export const BATCH_SIZE = 30;

/** Everything the outcomes of one batch change, committed together. */
type BatchOutcome = Required<
  Pick<
    WriteUnit,
    | "links"
    | "deleteLinks"
    | "outboxDone"
    | "outboxFailed"
    | "issues"
    | "resolveIssues"
    | "audit"
    | "mirrorClean"
  >
>;

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
  /** Called by the outbox replay with the number of writes it found waiting (when there are any). */
  onStart?: (total: number) => void;
}

/**
 * Sends planned operations to QBO in batches of up to 30. A batch — its items with their fixed
 * `bId`s, and its id, which is also its `requestid` — is written to the outbox before it is sent,
 * so after a crash the very same request is sent again and QBO answers with the original response
 * instead of writing twice. All outcomes of a batch are committed in one transaction with their
 * links, issues, audit entries and mirror state. A batch that fails as a whole (after the HTTP
 * layer's retries) stays pending and stops the pass; the next pass sends it first. Throttling is
 * not such a failure: the pass's QBO port pauses and re-sends the same batch (throttle-pause.ts).
 */
export async function executeOperations(
  deps: EngineDeps,
  ops: PlannedOperation[],
  hooks: ExecutionHooks,
): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const now = deps.clock.now();
  const outbox: OutboxOperation[] = [];
  for (let i = 0; i < ops.length; i += BATCH_SIZE) {
    const batch = ops.slice(i, i + BATCH_SIZE);
    // Unique per planning (the run id is in it): a batch re-formed later gets a new requestid, so
    // QBO never answers a new request with an old response.
    const batchId = requestIdFor([hooks.runId, ...batch.map((o) => o.requestId)]);
    batch.forEach((op, index) => {
      outbox.push(toOutbox({ ...op, payload: { ...op.payload, bId: `b${index}` } }, batchId, now));
    });
  }
  if (outbox.length > 0) await deps.store.commit({ outboxAdd: outbox }, now);
  await sendBatches(deps, groupByBatch(outbox), hooks, stats);
  return stats;
}

/** Sends whatever the outbox still holds (a crash left it there), batch by stored batch. */
export async function replayOutbox(deps: EngineDeps, hooks: ExecutionHooks): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const pending = await deps.store.pendingOperations();
  if (pending.length > 0) hooks.onStart?.(pending.length);
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
      // A stop sends no further batch; what is not sent stays in the outbox for the next run.
      if (deps.signal?.aborted) {
        failure ??= deps.signal.reason;
        break;
      }
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
  const items: BatchItem[] = ops.map((op, index) => toBatchItem(op, op.payload.bId ?? `b${index}`));
  const result = await deps.qbo.batch(items, { requestId: batchId });
  stats.batches++;
  stats.sent += ops.length;
  if (!result.ok) throw result.error;
  const byId = new Map(result.value.map((r) => [r.bId, r]));
  const unit: BatchOutcome = {
    links: [],
    deleteLinks: [],
    outboxDone: [],
    outboxFailed: [],
    issues: [],
    resolveIssues: [],
    audit: [],
    mirrorClean: [],
  };
  for (const [index, op] of ops.entries()) {
    await finish(deps, op, byId.get(op.payload.bId ?? `b${index}`), hooks, stats, unit);
  }
  await deps.store.commit(unit, deps.clock.now());
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
  unit: BatchOutcome,
): Promise<void> {
  const at = deps.clock.now();
  const p = op.payload;
  if (item?.ok) {
    const value = (item.value ?? {}) as Record<string, unknown>;
    const qboId = String(value.Id ?? (p.body as { Id?: string }).Id ?? "");
    unit.outboxDone.push(op.requestId);
    unit.mirrorClean.push(...p.sources);
    if (p.linkAfter === "delete") unit.deleteLinks.push({ entity: op.entity, clioId: op.clioId });
    else {
      unit.links.push({
        entity: op.entity,
        clioId: op.clioId,
        qboId,
        syncToken: String(value.SyncToken ?? "0"),
        state: p.linkAfter ?? "linked",
        contentHash: p.contentHash ?? null,
        qboEditedAt: null,
        baseline: p.baseline ?? null,
        updatedAt: at,
      });
    }
    unit.audit.push({
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
    });
    const mismatch = totalMismatch(p.expectedTotal, value.TotalAmt);
    if (mismatch) unit.issues.push({ ...p.issue, qboId, code: "sync_total_mismatch", message: mismatch });
    else unit.resolveIssues.push(p.issue.key);
    stats.succeeded++;
    return;
  }
  const error = item && !item.ok ? item.error : undefined;
  stats.failed++;
  unit.outboxFailed.push(op.requestId);
  unit.audit.push({
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
  });
  if (error === undefined || (isLexError(error) && error.kind === "transient")) {
    // Left dirty: the next pass plans it again, in a new batch with a new requestid.
    return;
  }
  if (error.code === "qbo_stale_object") {
    // Edited in QBO meanwhile: the next pass re-plans it with the SyncToken QBO has now.
    unit.links.push(...(await refreshedLink(deps, op)));
    return;
  }
  unit.mirrorClean.push(...p.sources);
  unit.issues.push(issueFromError(op, error));
}

function issueFromError(op: PlannedOperation, error: LexError) {
  const p = op.payload;
  const code = error.code === "qbo_deposited_payment" ? "sync_payment_deposited" : error.code;
  return {
    ...p.issue,
    code,
    message: error.message,
    ...(error.providerCode ? { providerCode: error.providerCode } : {}),
    ...(Object.keys(error.details).length ? { details: error.details } : {}),
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

/**
 * After a 5010, store the SyncToken QBO has now, so the re-planned update carries it, and mark the
 * record changed in QBO, so it is written again even if its content is what was last written.
 */
async function refreshedLink(deps: EngineDeps, op: PlannedOperation) {
  const link = await deps.store.getLink(op.entity, op.clioId);
  if (!link) return [];
  const fresh = await deps.qbo.read(op.payload.qboEntity, link.qboId);
  if (!fresh.ok) return [];
  return [
    {
      ...link,
      syncToken: String(fresh.value.SyncToken ?? link.syncToken),
      qboEditedAt: deps.clock.now(),
      updatedAt: deps.clock.now(),
    },
  ];
}
