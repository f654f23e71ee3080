import { isLexError, type LexError } from "../core/errors.ts";
import { formatMoney, parseMoney } from "../core/money.ts";
import type { BatchItem, BatchItemResult, WriteItem } from "../qbo/client.ts";
import { SINGLE_WRITE_SHARE } from "../qbo/limits.ts";
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

/** What one request sends: a batch of up to 30 writes under its id, or one write on its own. */
type SendUnit =
  | { lane: "batch"; batchId: string; ops: PlannedOperation[] }
  | { lane: "single"; op: PlannedOperation };

/**
 * Sends planned operations to QBO on both of its lanes at once: batches of up to 30 (40 batch
 * calls a minute) and, for QBO's share of the rest of its 500 calls a minute, single writes
 * (limits.ts). Every write is stored in the outbox before anything is sent: a batch's items with
 * their fixed `bId`s and its id, which is also its `requestid`; a single write with its own
 * request id as its `requestid`. After a crash the very same requests are sent again and QBO
 * answers each with its original response instead of writing twice. The outcomes of a request are
 * committed in one transaction with their links, issues, audit entries and mirror state. A request
 * that fails as a whole (after the HTTP layer's retries) stays pending and stops the pass; the
 * next pass sends it first. Throttling is not such a failure: the pass's QBO port pauses and
 * re-sends the same request (throttle-pause.ts). The writes of one call are independent of each
 * other (a phase); the pass writes a phase completely before it plans the next.
 */
export async function executeOperations(
  deps: EngineDeps,
  ops: PlannedOperation[],
  hooks: ExecutionHooks,
): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const now = deps.clock.now();
  const outbox: OutboxOperation[] = [];
  const singles = singleCount(ops.length);
  const batched = ops.slice(0, ops.length - singles);
  for (let i = 0; i < batched.length; i += BATCH_SIZE) {
    const batch = batched.slice(i, i + BATCH_SIZE);
    // Unique per planning (the run id is in it): a batch re-formed later gets a new requestid, so
    // QBO never answers a new request with an old response.
    const batchId = requestIdFor([hooks.runId, ...batch.map((o) => o.requestId)]);
    batch.forEach((op, index) => {
      outbox.push(toOutbox({ ...op, payload: { ...op.payload, bId: `b${index}` } }, batchId, now));
    });
  }
  for (const op of ops.slice(batched.length)) outbox.push(toOutbox(op, null, now));
  if (outbox.length > 0) await deps.store.commit({ outboxAdd: outbox }, now);
  await sendUnits(deps, unitsOf(outbox), hooks, stats);
  return stats;
}

/**
 * How many of a phase's writes go on their own: none while one batch holds them all, else the
 * share that lets both lanes finish together at their full rates.
 */
export function singleCount(total: number): number {
  return total <= BATCH_SIZE ? 0 : Math.floor(total * SINGLE_WRITE_SHARE);
}

/** Sends whatever the outbox still holds (a crash left it there), request by stored request. */
export async function replayOutbox(deps: EngineDeps, hooks: ExecutionHooks): Promise<ExecutionStats> {
  const stats: ExecutionStats = { sent: 0, succeeded: 0, failed: 0, batches: 0 };
  const pending = await deps.store.pendingOperations();
  if (pending.length > 0) hooks.onStart?.(pending.length);
  const bySeq = new Map<number, OutboxOperation[]>();
  for (const op of pending) bySeq.set(op.seq, [...(bySeq.get(op.seq) ?? []), op]);
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    await sendUnits(deps, unitsOf(bySeq.get(seq)!), hooks, stats);
  }
  return stats;
}

/** The requests stored operations make: their batches, and each single write (no batch id) alone. */
function unitsOf(ops: OutboxOperation[]): SendUnit[] {
  const batches = new Map<string, PlannedOperation[]>();
  const units: SendUnit[] = [];
  for (const op of ops) {
    if (op.batchId === null) units.push({ lane: "single", op: fromOutbox(op) });
    else batches.set(op.batchId, [...(batches.get(op.batchId) ?? []), fromOutbox(op)]);
  }
  for (const [batchId, list] of batches) units.push({ lane: "batch", batchId, ops: list });
  return units;
}

/**
 * Both lanes at once, each with its own workers (together QBO's 10 in flight); the rate limiter
 * spaces their calls. The first failure stops both: no further request goes out.
 */
async function sendUnits(
  deps: EngineDeps,
  units: SendUnit[],
  hooks: ExecutionHooks,
  stats: ExecutionStats,
): Promise<void> {
  let failure: unknown;
  const lane = async (queue: SendUnit[], concurrency: number) => {
    let next = 0;
    const worker = async () => {
      while (failure === undefined && next < queue.length) {
        // A stop sends no further request; what is not sent stays in the outbox for the next run.
        if (deps.signal?.aborted) {
          failure ??= deps.signal.reason;
          break;
        }
        const unit = queue[next++]!;
        try {
          if (unit.lane === "batch") await sendBatch(deps, unit.batchId, unit.ops, hooks, stats);
          else await sendSingle(deps, unit.op, hooks, stats);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    const workers = Math.max(1, Math.min(concurrency, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
  };
  await Promise.all([
    lane(
      units.filter((u) => u.lane === "batch"),
      deps.settings.batchConcurrency,
    ),
    lane(
      units.filter((u) => u.lane === "single"),
      deps.settings.singleConcurrency,
    ),
  ]);
  if (failure !== undefined) throw failure;
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
