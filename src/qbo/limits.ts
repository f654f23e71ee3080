/**
 * QBO's published per-realm limits (reference §7; the limits-and-throttles page): 500 requests a
 * minute and 10 a second, batch calls included; 40 batch calls a minute of up to 30 items; 10 in
 * flight. A writer fills the batch lane and spends the rest of the 500 on single writes: 40 × 30
 * + 460 = 1,660 writes a minute, against 1,200 with batches alone.
 */
export const QBO_LIMITS = {
  perMinute: 500,
  perSecond: 10,
  batchesPerMinute: 40,
  batchItems: 30,
  concurrent: 10,
} as const;

/** The requests a minute left for single writes once the batch lane is full. */
export const SINGLE_WRITES_PER_MINUTE = QBO_LIMITS.perMinute - QBO_LIMITS.batchesPerMinute;
