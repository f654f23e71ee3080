/**
 * How long the rest of a sync pass will take, from what it has read and planned so far and the
 * providers' rate budgets. Pure: the progress display feeds it a snapshot (pass-progress.ts).
 *
 * The pass runs in three stages (sync-pass.ts): the bills are read first; then the other Clio
 * streams are read while customers and trust journal entries are written; then invoices,
 * payments and credit applications are written. A stage takes as long as its slower side. Each
 * side's time is the larger of two bounds: its rate budget (requests beyond what the budget has in
 * hand go at the budget's rate) and the time each request has taken so far.
 */

export interface RateBudgets {
  /** Clio: requests a minute per token, and how many the budget holds at the start (its burst). */
  clioPerMinute: number;
  clioBurst: number;
  /** Records per Clio page (clio-source.ts reads pages of 200). */
  clioPageSize: number;
  /** QBO: batch calls a minute per realm, and the budget's burst. */
  qboBatchesPerMinute: number;
  qboBatchBurst: number;
  /** Writes per batch call (executor.ts). */
  batchSize: number;
}

export interface StreamState {
  stream: string;
  records: number;
  /** Requests made (pages read). */
  pages: number;
  done: boolean;
}

export interface PhaseState {
  phase: string;
  /** Writes planned; undefined until the phase is planned. */
  total?: number;
  done: number;
}

export interface PassSnapshot {
  elapsedMs: number;
  reads: StreamState[];
  phases: PhaseState[];
  /** Observed time per Clio request and between two finished QBO batches; undefined until seen. */
  clioMsPerRequest?: number;
  qboMsPerBatch?: number;
}

/**
 * A firm's usual shape per record already read, for what is not read or planned yet (measured on
 * the generated medium firm: 531 bills, 1,829 line items, 684 allocations, 59 credit memos, 319
 * trust transactions, 142 customers, 388 invoices, 557 payments and credit memos, 242 journal
 * entries). Each figure is replaced by the real count as soon as the stream is read or the phase
 * planned, so it only shapes the first minutes' estimate.
 */
export const SHAPE = {
  /** Records of each later stream per bill. */
  perBill: { line_item: 3.4, allocation: 1.3, credit_memo: 0.11, bank_transaction: 0.6 } as Record<
    string,
    number
  >,
  /** Writes of each phase per record of the stream it comes from. */
  phases: {
    customers: { from: "bill", ratio: 0.28 },
    "journal entries": { from: "bank_transaction", ratio: 0.76 },
    invoices: { from: "bill", ratio: 0.73 },
    payments: { from: "allocation", ratio: 0.81 },
    "credit applications": { from: "credit_memo", ratio: 0.9 },
  } as Record<string, { from: string; ratio: number }>,
};

/** Phases written while the later streams are read (stage 2); later phases wait for every read. */
const WRITTEN_WHILE_READING = new Set(["customers", "trust customers", "journal entries"]);

/** Fallbacks before a request was timed: a typical round trip, and a batch of 30 writes. */
const DEFAULT_CLIO_MS = 400;
const DEFAULT_QBO_BATCH_MS = 1500;

export interface Estimate {
  /** Milliseconds left; undefined while the bills (the basis of every estimate) are being read. */
  remainingMs?: number;
  clioRequests: number;
  qboBatches: number;
}

export function estimateRemaining(snapshot: PassSnapshot, budgets: RateBudgets): Estimate {
  const bills = snapshot.reads.find((r) => r.stream === "bill");
  if (bills && !bills.done) return { clioRequests: 0, qboBatches: 0 };
  const recordsOf = (stream: string): number => {
    const read = snapshot.reads.find((r) => r.stream === stream);
    if (read?.done) return read.records;
    const expected = Math.round((bills?.records ?? 0) * (SHAPE.perBill[stream] ?? 0));
    return Math.max(expected, read?.records ?? 0);
  };
  const pagesLeft = (r: StreamState): number =>
    r.done ? 0 : Math.max(1, Math.ceil((recordsOf(r.stream) - r.records) / budgets.clioPageSize));
  const batchesLeft = (p: PhaseState): number => {
    const shape = SHAPE.phases[p.phase];
    const total = p.total ?? (shape ? Math.round(recordsOf(shape.from) * shape.ratio) : 0);
    return Math.ceil(Math.max(0, total - p.done) / budgets.batchSize);
  };

  const laterReads = snapshot.reads.filter((r) => r.stream !== "bill").reduce((n, r) => n + pagesLeft(r), 0);
  const stage2Writes = sum(
    snapshot.phases.filter((p) => WRITTEN_WHILE_READING.has(p.phase)).map(batchesLeft),
  );
  const stage3Writes = sum(
    snapshot.phases
      .filter((p) => !WRITTEN_WHILE_READING.has(p.phase) && p.phase !== "resume")
      .map(batchesLeft),
  );
  const resumeWrites = sum(snapshot.phases.filter((p) => p.phase === "resume").map(batchesLeft));

  const clio = side(
    budgets.clioPerMinute,
    budgets.clioBurst,
    snapshot.clioMsPerRequest ?? DEFAULT_CLIO_MS,
    snapshot.elapsedMs,
    sum(snapshot.reads.map((r) => r.pages)),
  );
  const qbo = side(
    budgets.qboBatchesPerMinute,
    budgets.qboBatchBurst,
    snapshot.qboMsPerBatch ?? DEFAULT_QBO_BATCH_MS,
    snapshot.elapsedMs,
    sum(snapshot.phases.map((p) => Math.ceil(p.done / budgets.batchSize))),
  );
  const remainingMs =
    qbo.take(resumeWrites) + Math.max(clio.take(laterReads), qbo.take(stage2Writes)) + qbo.take(stage3Writes);
  return {
    remainingMs: Math.round(remainingMs),
    clioRequests: laterReads,
    qboBatches: resumeWrites + stage2Writes + stage3Writes,
  };
}

/**
 * One provider's budget as a token bucket that started full when the pass did: `take(n)` is the
 * time n more requests need, and spends what the bucket holds, so a later stage does not count
 * the same tokens again.
 */
function side(perMinute: number, burst: number, msPerRequest: number, elapsedMs: number, used: number) {
  let tokens = Math.max(0, Math.min(burst, burst - used + (elapsedMs * perMinute) / 60_000));
  return {
    take(n: number): number {
      const fromBudget = Math.max(0, n - tokens) * (60_000 / perMinute);
      tokens = Math.max(0, tokens - n);
      return Math.max(fromBudget, n * msPerRequest);
    },
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `1 h 04 min`, `3 min 20 s`, `45 s`: an ETA as a person reads it. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
