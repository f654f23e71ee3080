import { isLexError, type LexError } from "../core/errors.ts";
import { formatMoney, parseMoney } from "../core/money.ts";
import type { BatchItem, BatchItemResult, WriteItem } from "../qbo/client.ts";
import type { OutboxOperation, WriteUnit } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { OpQueue } from "./op-queue.ts";
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

/** What one request sends: a batch of up to 30 writes under its id, or one write on its own. */
type SendUnit =
  | { lane: "batch"; batchId: string; ops: PlannedOperation[] }
  | { lane: "single"; op: PlannedOperation };

/** How long a batch worker waits for the planner to fill a batch before it sends a short one. */
const SHORT_BATCH_WAIT_MS = 250;

/** How often an idle worker looks again at the batch lane (spent, or with room again). */
const LANE_POLL_MS = 20;

/**
 * Sends planned operations to QBO on both of its lanes at once. Batches of up to 30 go first, as
 * fast as the batch lane allows (40 a minute); single writes take the rest of the 500 calls a
 * minute, and only while the batch lane is spent — a call carrying one write where a batch could
 * have carried 30 would waste the 10 calls a second both lanes share.
 *
 * Every write is stored in the outbox before anything is sent, with no lane yet. A batch is
 * formed when a batch worker takes it: its items, sorted by request id (so a replay finds each by
 * its `bId` again), are stored with its id — also its `requestid` — before it is sent; a single
 * write is stored as sent alone (its batch id is its own request id) before it is sent under its
 * own `requestid`. After a crash the very same requests are sent again and QBO answers each with
 * its original response instead of writing twice; writes never sent are sent as this function
 * would. The outcomes of a request are committed in one transaction with their links, issues,
 * audit entries and mirror state. A request that fails as a whole (after the HTTP layer's retries)
 * stays pending and stops the pass; the next pass sends it first. Throttling is not such a
 * failure: the pass's QBO port pauses and re-sends the same request (throttle-pause.ts). The
 * writes of one call are independent of each other (a phase); the pass writes a phase completely
 * before it plans the next, so order holds across phases. `source` may be the phase's chunks as
 * its planner makes them: each is sent while the next is planned (feed).
 */
export async function executeOperations(
  deps: EngineDeps,
  source: PlannedOperation[] | AsyncIterable<PlannedOperation[]>,
  hooks: ExecutionHooks,
  { queuedAtMost = QUEUED_AT_MOST }: { queuedAtMost?: number } = {},
): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const queue = new OpQueue();
  const [fed, sent] = await Promise.allSettled([
    feed(deps, Array.isArray(source) ? [source] : source, queue, queuedAtMost),
    sendPhase(deps, [], queue, hooks, stats),
  ]);
  if (sent.status === "rejected") throw sent.reason;
  if (fed.status === "rejected") throw fed.reason;
  return stats;
}

/**
 * How many planned writes may wait for the lanes: enough to keep both busy through the planning
 * of the next chunk, few enough that a phase of any size holds a bounded part of itself in memory.
 */
const QUEUED_AT_MOST = 1_000;

/**
 * Hands the planner's chunks to the lanes, each stored in the outbox first. The planner waits
 * while the lanes are far behind; a failure of the lanes stops it, one of its own stops them.
 */
async function feed(
  deps: EngineDeps,
  chunks: Iterable<PlannedOperation[]> | AsyncIterable<PlannedOperation[]>,
  queue: OpQueue,
  queuedAtMost: number,
): Promise<void> {
  // A write planned twice in one phase (two chunks naming it) is sent once: a second copy could
  // go out in another batch under another requestid, and QBO would carry it out twice.
  const planned = new Set<string>();
  try {
    for await (const chunk of chunks) {
      if (queue.stopped) return;
      const ops = chunk.filter((op) => !planned.has(op.requestId) && planned.add(op.requestId));
      if (ops.length < chunk.length)
        deps.logger.warn(
          { repeated: chunk.length - ops.length },
          "writes planned twice in one phase are sent once",
        );
      if (ops.length === 0) continue;
      const now = deps.clock.now();
      await deps.store.commit({ outboxAdd: ops.map((op) => toOutbox(op, null, now)) }, now);
      queue.add(ops);
      while (queue.size > queuedAtMost && !queue.stopped) await queue.changed();
    }
  } catch (error) {
    queue.stop();
    throw error;
  } finally {
    queue.end();
  }
}

/** Sends whatever the outbox still holds (a crash left it there), phase by phase. */
export async function replayOutbox(deps: EngineDeps, hooks: ExecutionHooks): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const pending = await deps.store.pendingOperations();
  if (pending.length > 0) hooks.onStart?.(pending.length);
  const bySeq = replayTurns(pending);
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    const { sent, unsent } = storedRequests(bySeq.get(seq)!);
    const queue = new OpQueue();
    queue.add(unsent);
    queue.end();
    await sendPhase(deps, sent, queue, hooks, stats);
  }
  return stats;
}

/**
 * The stored operations by the turn they go again in (their phase's order). A batch goes again
 * whole, in the turn of its earliest write: were a phase to batch writes of two kinds (their
 * turns differ), splitting it would send its requestid twice with part of its writes, and QBO
 * answers each with its stored answer to all of it, matched to the writes by position.
 */
export function replayTurns(pending: OutboxOperation[]): Map<number, OutboxOperation[]> {
  const batchSeq = new Map<string, number>();
  for (const op of pending)
    if (op.batchId !== null && op.batchId !== op.requestId)
      batchSeq.set(op.batchId, Math.min(batchSeq.get(op.batchId) ?? op.seq, op.seq));
  const bySeq = new Map<number, OutboxOperation[]>();
  for (const op of pending) {
    const seq = (op.batchId === null ? undefined : batchSeq.get(op.batchId)) ?? op.seq;
    bySeq.set(seq, [...(bySeq.get(seq) ?? []), op]);
  }
  return bySeq;
}

/**
 * The requests stored operations were sent in (their batches, and single writes, whose batch id
 * is their own request id), and the operations never sent (no batch id). A batch's operations come
 * in request id order, the order its `bId`s were given in.
 */
function storedRequests(ops: OutboxOperation[]): { sent: SendUnit[]; unsent: PlannedOperation[] } {
  const batches = new Map<string, PlannedOperation[]>();
  const sent: SendUnit[] = [];
  const unsent: PlannedOperation[] = [];
  for (const op of ops) {
    if (op.batchId === null) unsent.push(fromOutbox(op));
    else if (op.batchId === op.requestId) sent.push({ lane: "single", op: fromOutbox(op) });
    else batches.set(op.batchId, [...(batches.get(op.batchId) ?? []), fromOutbox(op)]);
  }
  // In formBatch's order (bIds are given by position), whatever order the store lists them in.
  for (const [batchId, list] of batches) sent.push({ lane: "batch", batchId, ops: list.sort(byRequestId) });
  return { sent, unsent };
}

/**
 * One phase on both lanes, each with its own workers (together QBO's 10 in flight); the rate
 * limiter spaces their calls. Requests already sent once go again first, as they were; then the
 * batch workers take up to 30 writes at a time from the front, the single-write workers one at a
 * time from the back while the batch lane is spent. The first failure stops both lanes.
 */
async function sendPhase(
  deps: EngineDeps,
  stored: SendUnit[],
  unsent: OpQueue,
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  let failure: unknown;
  const again = {
    batch: stored.filter((u) => u.lane === "batch"),
    single: stored.filter((u) => u.lane === "single"),
  };
  /** Whether a worker has nothing to take now (it waited for more), or nothing ever (undefined). */
  const waitForWrites = async (): Promise<boolean | undefined> => {
    if (failure !== undefined || unsent.stopped) return undefined;
    deps.signal?.throwIfAborted();
    if (unsent.size > 0) return false;
    if (unsent.ended) return undefined;
    await unsent.changed();
    return true;
  };
  // Batches taken by a worker and not yet answered: each holds, or waits for, a place in the
  // batch lane. A worker takes writes only while the lane has room beside them — otherwise all
  // four could take 30 writes for the lane's one place, and wait for it while the single-write
  // workers find nothing left to send.
  let batchesUnanswered = 0;
  const batchLaneSpent = (): boolean => {
    const room = deps.qboBatchLaneRoom?.();
    if (room !== undefined) return room <= batchesUnanswered;
    return (deps.qboBatchLaneWaitMs?.() ?? 0) > 0;
  };
  const nextBatch = async (): Promise<SendUnit | undefined> => {
    // Resolves once a short batch has waited long enough for the planner to fill it.
    let waitedLong: Promise<boolean> | undefined;
    for (;;) {
      const stored = again.batch.shift();
      if (stored) {
        batchesUnanswered++;
        return stored;
      }
      const waited = await waitForWrites();
      if (waited === undefined) return undefined;
      if (waited) continue;
      // Writes wait in no batch while the lane is spent: the single-write workers may take them.
      if (batchLaneSpent()) {
        const wait = deps.qboBatchLaneWaitMs?.() ?? 0;
        await deps.clock.sleep(wait > 0 ? Math.min(wait, LANE_POLL_MS) : LANE_POLL_MS, deps.signal);
        continue;
      }
      // A batch of 30 soon, rather than a short one now, while the planner is still adding — but
      // not for long: a planner waiting for its input (a page of Clio still to come) may add
      // nothing for a while, and what it planned must not wait for it.
      if (unsent.size < BATCH_SIZE && !unsent.ended) {
        waitedLong ??= deps.clock.sleep(SHORT_BATCH_WAIT_MS, deps.signal).then(
          () => true,
          () => true,
        );
        const late = await Promise.race([unsent.changed().then(() => false), waitedLong]);
        if (!late) continue;
      }
      // Another worker may have taken the last writes, or the lane's room, while this one waited.
      if (batchLaneSpent()) continue;
      const ops = unsent.takeFront(BATCH_SIZE);
      if (ops.length > 0) {
        batchesUnanswered++;
        return formBatch(deps, ops, hooks.runId);
      }
    }
  };
  const nextSingle = async (): Promise<SendUnit | undefined> => {
    for (;;) {
      const stored = again.single.shift();
      if (stored) return stored;
      const waited = await waitForWrites();
      if (waited === undefined) return undefined;
      if (waited) continue;
      // The batch lane has room: a batch worker carries these writes 30 to a call.
      const room = deps.qboBatchLaneRoom?.();
      if (room !== undefined ? room > batchesUnanswered : (deps.qboBatchLaneWaitMs?.() ?? 1) === 0) {
        await deps.clock.sleep(LANE_POLL_MS, deps.signal);
        continue;
      }
      const op = unsent.takeBack();
      if (!op) continue;
      await deps.store.commit(
        { outboxAdd: [toOutbox(op, op.requestId, deps.clock.now())] },
        deps.clock.now(),
      );
      return { lane: "single", op };
    }
  };
  const lane = async (next: () => Promise<SendUnit | undefined>, concurrency: number) => {
    const worker = async () => {
      while (failure === undefined) {
        // A stop sends no further request; what is not sent stays in the outbox for the next run.
        if (deps.signal?.aborted) {
          failure ??= deps.signal.reason;
          break;
        }
        try {
          const unit = await next();
          if (!unit) break;
          if (unit.lane === "batch") {
            try {
              await sendBatch(deps, unit.batchId, unit.ops, hooks, stats);
            } finally {
              batchesUnanswered--;
            }
          } else await sendSingle(deps, unit.op, hooks, stats);
        } catch (error) {
          failure ??= error;
        }
      }
      // The first failure stops the planner and wakes the workers waiting for its writes.
      if (failure !== undefined) unsent.stop();
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  };
  await Promise.all([
    lane(nextBatch, deps.settings.batchConcurrency),
    lane(nextSingle, deps.settings.singleConcurrency),
  ]);
  if (failure !== undefined) throw failure;
}

/** Code-unit order of request ids: the order a batch's items get their bIds in, and are replayed in. */
const byRequestId = (a: { requestId: string }, b: { requestId: string }) =>
  a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0;

/**
 * A batch of writes never sent, stored under its id before it is sent. Unique per forming (the
 * run id is in it): a batch formed again later gets a new requestid, so QBO never answers a new
 * request with an old response.
 */
async function formBatch(deps: EngineDeps, ops: PlannedOperation[], runId: string): Promise<SendUnit> {
  const sorted = [...ops].sort(byRequestId);
  const batchId = requestIdFor([runId, ...sorted.map((o) => o.requestId)]);
  const now = deps.clock.now();
  await deps.store.commit({ outboxAdd: sorted.map((op) => toOutbox(op, batchId, now)) }, now);
  return { lane: "batch", batchId, ops: sorted };
}

function emptyOutcome(): BatchOutcome {
  return {
    links: [],
    deleteLinks: [],
    outboxDone: [],
    outboxFailed: [],
    issues: [],
    resolveIssues: [],
    audit: [],
    mirrorClean: [],
  };
}

async function sendBatch(
  deps: EngineDeps,
  batchId: string,
  ops: PlannedOperation[],
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  const items: BatchItem[] = ops.map((op, index) => ({
    bId: op.payload.bId ?? `b${index}`,
    ...toWriteItem(op),
  }));
  const result = await deps.qbo.batch(items, { requestId: batchId });
  stats.batches++;
  stats.sent += ops.length;
  if (!result.ok) throw result.error;
  const byId = new Map(result.value.map((r) => [r.bId, r]));
  const unit = emptyOutcome();
  for (const [index, op] of ops.entries()) {
    await finish(deps, op, byId.get(op.payload.bId ?? `b${index}`), hooks, stats, unit);
  }
  await deps.store.commit(unit, deps.clock.now());
  hooks.onProgress?.(ops.length);
}

/**
 * One write on its own, under its own request id. QBO's answer about the write (a validation or
 * business fault, a stale SyncToken) is its outcome, as a batch item's would be; a failure of the
 * request itself (the network, the server, auth) leaves it pending and stops the pass.
 */
async function sendSingle(
  deps: EngineDeps,
  op: PlannedOperation,
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  const result = await deps.qbo.writeSingle(toWriteItem(op), { requestId: op.requestId });
  stats.sent++;
  if (!result.ok && !isAnswerAboutTheWrite(result.error)) throw result.error;
  const item: BatchItemResult = result.ok
    ? { bId: "", ok: true, value: result.value }
    : { bId: "", ok: false, error: result.error };
  const unit = emptyOutcome();
  await finish(deps, op, item, hooks, stats, unit);
  await deps.store.commit(unit, deps.clock.now());
  hooks.onProgress?.(1);
}

/** A 4xx from QBO about the content of a write — not auth, not throttling, not a transient failure. */
function isAnswerAboutTheWrite(error: LexError): boolean {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500) return false;
  if (status === 401 || status === 403 || status === 429) return false;
  return error.kind !== "transient";
}

function toWriteItem(op: PlannedOperation): WriteItem {
  const p = op.payload;
  if (p.operation === "void" && p.qboEntity === "Invoice") {
    return { operation: "void", entity: "Invoice", body: p.body as { Id: string; SyncToken: string } };
  }
  const operation = p.operation === "void" ? "update" : p.operation;
  return { operation, entity: p.qboEntity, body: p.body, ...(p.options ? { options: p.options } : {}) };
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
