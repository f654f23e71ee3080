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

export * from "./client.ts";
export * from "./errors.ts";
export * from "./hosts.ts";
export * from "./oauth.ts";
export * from "./query-builder.ts";
export * from "./schemas.ts";

/** QBO's published per-realm limits (reference §7): 500/min, 40 batch/min, 10 concurrent. */
export function qboBudget(key: string, timeScale = 1): BudgetLimits | undefined {
  if (!key.startsWith("qbo:")) return undefined;
  const windowMs = 60_000 / timeScale; // benchmarks compress the minute together with the emulator
  return { lanes: { default: { limit: 500, windowMs }, batch: { limit: 40, windowMs } }, concurrency: 10 };
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
}

export function createQboClient(options: CreateQboClientOptions): QboClient {
  const send = createHttpStack({
    transport: fetchTransport(options.fetch),
    clock: options.clock,
    logger: options.logger ?? silentLogger,
    limiter: options.limiter ?? new RateLimiter(options.clock, qboBudget),
    tokens: options.tokens,
    timeoutMs: options.timeoutMs ?? 120_000,
    retry: { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: options.baseDelayMs ?? 500 },
  });
  return new QboClient({
    realmId: options.realmId,
    send,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
}
