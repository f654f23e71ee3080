/**
 * The least time and the fewest calls the providers' quotas allow for an initial sync, given what
 * it must read and write. Pure, so the benchmark's yardstick can be checked on its own.
 *
 * QBO per realm: 500 requests a minute, batch requests included, of which at most 40 a minute may
 * be batches of up to 30 writes; 10 a second and 10 in flight. A writer that fills the batch lane
 * and spends the other 460 requests on single writes moves 40 × 30 + 460 = 1,660 writes a minute.
 * The minute budgets start full (one window's worth may go at once, as the servers' and ours do),
 * but 10 a second still spaces that first window over 50 s: for a firm written in a few minutes
 * the per-second limit, not the minute's, is the bound. Clio: 50 requests a minute per token.
 */
export const QBO_PER_MINUTE = 500;
export const QBO_PER_SECOND = 10;
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

/** The most QBO calls, and batch calls among them, that `minutes` allow (past the reads). */
function qboRoom(minutes: number, reads: number) {
  const calls = Math.max(
    0,
    Math.floor(Math.min(QBO_PER_MINUTE * (1 + minutes), QBO_PER_SECOND * 60 * minutes) + 1e-9) - reads,
  );
  const batches = Math.min(Math.floor(QBO_BATCHES_PER_MINUTE * (1 + minutes) + 1e-9), calls);
  return { calls, batches, writes: batches * QBO_BATCH_ITEMS + (calls - batches) };
}

export function quotaMinimum(work: QuotaWork): QuotaMinimum {
  // The least time whose room holds every write (room grows with time: bisect).
  let low = 0;
  let high = 1;
  while (qboRoom(high, work.qboReads).writes < work.qboWrites) high *= 2;
  if (work.qboWrites === 0 && work.qboReads === 0) high = 0;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (qboRoom(mid, work.qboReads).writes >= work.qboWrites && qboRoom(mid, 0).calls >= work.qboReads)
      high = mid;
    else low = mid;
  }
  const qboMinutes = high;
  const clioMinutes = Math.max(0, work.clioCalls / CLIO_PER_MINUTE - 1);
  const minutes = Math.max(qboMinutes, clioMinutes);
  // When Clio is the slower one, QBO has time to spare and needs fewer single writes.
  return { minutes, qboMinutes, clioMinutes, ...fewestQboCalls(work, minutes) };
}

/**
 * The fewest QBO calls that write everything within `minutes`: as many batches as the batch lane
 * allows by then, single writes for the rest. At the minimum time this is the calls minimum; at
 * the time a run actually took, it says how many of its single writes that run needed.
 */
export function fewestQboCalls(
  work: Pick<QuotaWork, "qboWrites" | "qboReads">,
  minutes: number,
): Pick<QuotaMinimum, "qboCalls" | "batches" | "singles"> {
  const batches = Math.min(
    Math.ceil(work.qboWrites / QBO_BATCH_ITEMS),
    qboRoom(minutes, work.qboReads).batches,
  );
  const singles = Math.max(0, work.qboWrites - batches * QBO_BATCH_ITEMS);
  return { qboCalls: batches + singles + work.qboReads, batches, singles };
}
