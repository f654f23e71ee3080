/**
 * The QBO client package: the client, OAuth, the query builder, fault mapping, schemas, and a
 * factory that composes the standard HTTP stack with QBO's per-realm budget.
 */
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { silentLogger } from "../core/logger.ts";
import { type BudgetLimits, RateLimiter } from "../http/rate-limiter.ts";
import { createHttpStack } from "../http/stack.ts";
import { fetchTransport } from "../http/transport.ts";
import type { TokenSource } from "../http/with-auth.ts";
import { QboClient } from "./client.ts";
import { QBO_LIMITS, SINGLE_WRITES_PER_MINUTE } from "./limits.ts";
import { withQboThrottleStatus } from "./throttle-status.ts";

export * from "./client.ts";
export * from "./errors.ts";
export * from "./hosts.ts";
export * from "./limits.ts";
export * from "./oauth.ts";
export * from "./query-builder.ts";
export * from "./schemas.ts";

/**
 * Intuit's wait after a 429 (https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles:
 * "If you see this, wait 60 seconds before retrying the request"); QBO sends no Retry-After that
 * anyone has confirmed (reference §7).
 */
export const QBO_THROTTLE_WAIT_MS = 60_000;

/**
 * QBO's per-realm budget (limits.ts): 500 requests a minute and 10 a second, batch calls included;
 * 40 batch calls a minute; 10 in flight. Single writes have a lane of their own holding the 460 a
 * minute the batch lane leaves, so they never take the general budget a batch call needs (the
 * batch lane moves 30 writes a call; a starved one would cost throughput).
 */
export function qboBudget(key: string, timeScale = 1): BudgetLimits | undefined {
  if (!key.startsWith("qbo:")) return undefined;
  // Benchmarks compress time together with the emulator.
  const minute = 60_000 / timeScale;
  // Once a minute's budget is spent, each request goes the moment its token exists; QBO counts it
  // on arrival, and one that travels faster than the first of the window would find it short (a
  // 429, and 60 s of waiting). A quarter second behind QBO's count costs nothing after that.
  const marginMs = 250 / timeScale;
  return {
    lanes: {
      default: { limit: QBO_LIMITS.perMinute, windowMs: minute, marginMs },
      // One at a time, 100 ms apart: no second, however it is counted, sees more than 10.
      second: { limit: QBO_LIMITS.perSecond, windowMs: 1000 / timeScale, burst: 1 },
      batch: { limit: QBO_LIMITS.batchesPerMinute, windowMs: minute, marginMs },
      single: { limit: SINGLE_WRITES_PER_MINUTE, windowMs: minute, marginMs },
    },
    everyRequest: ["default", "second"],
    concurrency: QBO_LIMITS.concurrent,
    throttleWaitMs: QBO_THROTTLE_WAIT_MS / timeScale,
  };
}

export interface CreateQboClientOptions {
  realmId: string;
  tokens: TokenSource;
  clock: Clock;
  baseUrl?: string;
  fetch?: typeof fetch;
  logger?: Logger;
  /** Share one limiter across clients of the same process so each realm has one budget. */
  limiter?: RateLimiter;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** The least wait after a 429 without Retry-After. (Default: 60 s, Intuit's guidance) */
  throttleWaitMs?: number;
  /** The process's stop signal: ends waits and requests in flight (with-stop.ts). */
  stop?: AbortSignal;
}

export function createQboClient(options: CreateQboClientOptions): QboClient {
  const send = createHttpStack({
    transport: fetchTransport(options.fetch),
    clock: options.clock,
    logger: options.logger ?? silentLogger,
    limiter: options.limiter ?? new RateLimiter(options.clock, qboBudget),
    tokens: options.tokens,
    timeoutMs: options.timeoutMs ?? 120_000,
    provider: withQboThrottleStatus,
    ...(options.stop ? { stop: options.stop } : {}),
    retry: {
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 500,
      throttleWaitMs: options.throttleWaitMs ?? QBO_THROTTLE_WAIT_MS,
    },
  });
  return new QboClient({
    realmId: options.realmId,
    send,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
}
