/**
 * The least time and the fewest calls the providers' quotas allow for an initial sync, given what
 * it must read and write. Pure, so the benchmark's yardstick can be checked on its own.
 *
 * QBO per realm: 500 requests a minute, batch requests included, of which at most 40 a minute may
 * be batches of up to 30 writes; 10 a second and 10 in flight (600 a minute, never the bound here).
 * A writer that fills the batch lane and spends the other 460 requests on single writes moves
 * 40 × 30 + 460 = 1,660 writes a minute. Clio: 50 requests a minute per token.
 * Both budgets start full (one window's worth may go at once), as the servers' and ours do.
 */
export const QBO_PER_MINUTE = 500;
export const QBO_BATCHES_PER_MINUTE = 40;
export const QBO_BATCH_ITEMS = 30;
export const CLIO_PER_MINUTE = 50;

export interface QuotaWork {
  /** QBO writes (operations), however they are sent. */
  qboWrites: number;
  /** QBO calls no sync can skip besides its writes (queries, look-ups). */
  qboReads: number;
  /** Clio calls no sync can skip (every changed record read once, in full pages). */
  clioCalls: number;
}

export interface QuotaMinimum {
  /** The slower provider's minutes: the least a sync can take, before any round trip. */
  minutes: number;
  qboMinutes: number;
  clioMinutes: number;
  /** The fewest QBO calls that still finish within `minutes`: batches first, single writes for the rest. */
  qboCalls: number;
  batches: number;
  singles: number;
}

export function quotaMinimum(work: QuotaWork): QuotaMinimum {
  // In 1 + T windows (the first one the full budgets), QBO takes at most 40(1+T) batches and
  // 500(1+T) calls in all, so it writes at most 1,660(1+T) − reads.
  const perWindow = QBO_BATCHES_PER_MINUTE * QBO_BATCH_ITEMS + (QBO_PER_MINUTE - QBO_BATCHES_PER_MINUTE);
  const qboMinutes = Math.max(0, (work.qboWrites + work.qboReads) / perWindow - 1);
  const clioMinutes = Math.max(0, work.clioCalls / CLIO_PER_MINUTE - 1);
  const minutes = Math.max(qboMinutes, clioMinutes);
  // When Clio is the slower one, QBO has time to spare and needs fewer single writes.
  const batchRoom = Math.floor(QBO_BATCHES_PER_MINUTE * (1 + minutes) + 1e-9);
  const batches = Math.min(Math.ceil(work.qboWrites / QBO_BATCH_ITEMS), batchRoom);
  const singles = Math.max(0, work.qboWrites - batches * QBO_BATCH_ITEMS);
  return {
    minutes,
    qboMinutes,
    clioMinutes,
    qboCalls: batches + singles + work.qboReads,
    batches,
    singles,
  };
}
