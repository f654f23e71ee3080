/**
 * A pass never aborts on throttling alone. The HTTP layer already waits out each 429 (Intuit's
 * 60 s, or `Retry-After`) a few times; when QuickBooks still throttles after those retries, the
 * call is paused here — the whole pass waits where it stands, says so in the log — and then sent
 * again, for as long as it takes. Sending again is safe: reads change nothing, and every write
 * carries the requestid it was stored with in the outbox (a batch its batch id), so QuickBooks
 * answers a repeat with the original response instead of writing twice.
 */
import type { Clock } from "../core/clock.ts";
import { isLexError, type Result } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { QUERY_PAGE_SIZE } from "../qbo/client.ts";
import type { QboPort } from "./ports.ts";

/** Intuit's guidance after a 429: wait 60 s (the limits-and-throttles page, see docs/architecture.md). */
export const THROTTLE_PAUSE_MS = 60_000;

/** A throttle that outlasted the HTTP retries (or a write sent once, answered 429 / fault 3001). */
export function isThrottle(error: unknown): boolean {
  if (!isLexError(error)) return false;
  if (error.code === "qbo_rate_limited") return true;
  return error.code === "http_retries_exhausted" && error.status === 429;
}

export function pauseOnThrottle(
  qbo: QboPort,
  clock: Clock,
  logger: Logger,
  pauseMs = THROTTLE_PAUSE_MS,
  /** A stop cuts the pause short (the call is then sent by the next run). */
  signal?: AbortSignal,
): QboPort {
  async function untilNotThrottled<T>(call: string, send: () => Promise<Result<T>>): Promise<Result<T>> {
    for (let pauses = 1; ; pauses++) {
      const result = await send();
      if (result.ok || !isThrottle(result.error)) return result;
      logger.warn(
        { call, pauses, pauseMs, code: result.error.code },
        "QuickBooks still throttles after the retries: the pass is paused and resumes where it stopped",
      );
      await clock.sleep(pauseMs, signal);
    }
  }
  const query = ((q) => untilNotThrottled("query", () => qbo.query(q))) as QboPort["query"];
  const port: QboPort = {
    realmId: qbo.realmId,
    batch: (items, opts) => untilNotThrottled("batch", () => qbo.batch(items, opts)),
    writeSingle: (item, opts) => untilNotThrottled("writeSingle", () => qbo.writeSingle(item, opts)),
    query,
    // Page by page through the pausing query, so a throttle on page 7 resumes at page 7.
    queryAll: async function* (q, pageSize = QUERY_PAGE_SIZE) {
      for (let start = 1; ; start += pageSize) {
        const page = await query(q.page(start, pageSize));
        if (!page.ok) throw page.error;
        yield* page.value.items;
        if (page.value.items.length < pageSize) return;
      }
    } as QboPort["queryAll"],
    cdc: (entities, since) => untilNotThrottled("cdc", () => qbo.cdc(entities, since)),
    read: ((entity, id) => untilNotThrottled("read", () => qbo.read(entity, id))) as QboPort["read"],
    create: ((entity, body, opts) =>
      untilNotThrottled("create", () => qbo.create(entity, body, opts))) as QboPort["create"],
    sparseUpdate: ((entity, patch, opts) =>
      untilNotThrottled("sparseUpdate", () =>
        qbo.sparseUpdate(entity, patch, opts),
      )) as QboPort["sparseUpdate"],
  };
  return port;
}
