import { ClioClient, clioRateKey } from "../clio/client.ts";
import { clioRateLimiter } from "../clio/rate-budget.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import { type Config, parseTaxCodeSetting, parseTrustAccountSetting } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { EngineDeps, EngineSettings } from "../engine/ports.ts";
import { RateLimiter } from "../http/rate-limiter.ts";
import { singleFlightTokens } from "../http/single-flight-tokens.ts";
import { createHttpStack } from "../http/stack.ts";
import { fetchTransport } from "../http/transport.ts";
import { createQboClient, qboBudget } from "../qbo/index.ts";
import type { Store } from "../store/port.ts";
import { ClioSource } from "./clio-source.ts";
import {
  requireClioConnection,
  requireQboConnection,
  saveRefreshedTokens,
  secretBoxFor,
} from "./connections.ts";
import { qboOAuthClient, refreshClio } from "./connectors.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import { type FirmStore, openFirmStore } from "./open-store.ts";
import { clioProvider, qboProvider, qboSite } from "./providers.ts";
import { observeRateWaits } from "./rate-wait-observer.ts";
import { RECORD_SITES_KEY, type RecordSites, recordSitesOf } from "./record-links.ts";

export interface EngineHandle {
  deps: EngineDeps;
  /** The configuration the engine runs with: in scale mode, the firm's settings over the installation's. */
  config: Config;
  store: Store;
  /** The Clio API client the engine uses (serve manages its webhook subscriptions with it). */
  clioClient: ClioClient;
  /** The rate budgets the engine's requests draw from (Connections shows their headroom). */
  rateLimiters: { clio: RateLimiter; qbo: RateLimiter };
  close(): Promise<void>;
}

export function engineSettings(config: Config, overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    startDate: config.startDate ?? "2000-01-01",
    ...(config.qboTaxCodes ? { taxCodes: parseTaxCodeSetting(config.qboTaxCodes) } : {}),
    ...(config.trustStartDate ? { trustStartDate: config.trustStartDate } : {}),
    ...(config.qboTrustAccounts ? { trustAccounts: parseTrustAccountSetting(config.qboTrustAccounts) } : {}),
    ...(config.qboDepositAccount ? { depositAccount: config.qboDepositAccount } : {}),
    ...(config.qboClass ? { trackingClass: config.qboClass } : {}),
    ...(config.qboLocation ? { trackingLocation: config.qboLocation } : {}),
    ...(config.qboIncomeAccount ? { incomeAccount: config.qboIncomeAccount } : {}),
    conflictPolicy: config.conflictPolicy,
    earlyInvoices: config.earlyInvoices,
    itemNames: {
      services: config.servicesItemName,
      expenses: config.expensesItemName,
      tax: config.taxItemName,
      interest: config.interestItemName,
      adjustment: config.adjustmentItemName,
      credit: config.creditItemName,
    },
    overlapMs: 5 * 60_000,
    qboWebBase: qboSite(config).webBase,
    // Together one fewer than the 10 requests QBO allows in flight per realm: our place is freed
    // when an answer arrives, QBO's a moment later, and an 11th request in that moment is a 429
    // (60 s of waiting). The one left also serves the reads that run beside the writes.
    batchConcurrency: 4,
    singleConcurrency: 5,
    idCompareIntervalMs: config.clioIdCompareHours * 3_600_000,
    reconcileFullIntervalMs: config.reconcileFullHours * 3_600_000,
    ...overrides,
  };
}

/** Notes where the records this engine reads and writes live, so links point there later. */
async function recordSites(store: Store, sites: RecordSites, at: number): Promise<void> {
  const value = JSON.stringify(sites);
  if ((await store.getKv(RECORD_SITES_KEY)) !== value)
    await store.commit({ kv: { [RECORD_SITES_KEY]: value } }, at);
}

/**
 * Wires the engine for a configuration: the store, both connections (tokens sealed at rest,
 * rotations persisted before use), the HTTP stacks with each provider's rate budget, and the
 * Clio source. The composition root for `sync`, `demo` and the tests.
 */
export async function createEngine(
  installation: Config,
  logger: Logger,
  options: {
    clock?: Clock;
    /** A store the caller opened (and closes): `serve` shares one between the passes and the dashboard. */
    store?: Store;
    /**
     * Whether to hold the data dir's lock (default true). Scale mode's workers do not: one data
     * dir serves many firms there, and the job queue runs one firm's jobs one at a time.
     */
    dataDirLock?: boolean;
    settings?: Partial<EngineSettings>;
    maxAttempts?: number;
    baseDelayMs?: number;
    /** Benchmarks only: the emulators' time scale, so the client budgets compress the same minute. */
    quotaTimeScale?: number;
    /** Benchmarks only: a fetch that counts calls. */
    fetch?: typeof fetch;
    /** The process's stop signal (Ctrl+C, SIGTERM): see EngineDeps.signal. */
    stop?: AbortSignal;
    /** Told of each request that waited for its provider's rate budget (serve's /metrics). */
    onRateLimitWait?: (provider: "clio" | "qbo", waitedMs: number) => void;
  } = {},
): Promise<EngineHandle> {
  const clock = options.clock ?? systemClock;
  const lock =
    options.dataDirLock === false ? { release: () => {} } : acquireDataDirLock(installation.dataDir);
  let opened: FirmStore;
  try {
    opened = options.store
      ? { store: options.store, config: installation }
      : await openFirmStore(installation, { exclusive: true });
  } catch (error) {
    lock.release();
    throw error;
  }
  const { store, config } = opened;
  try {
    const qboSide = qboProvider(config);
    const clioSide = clioProvider(config);
    const box = secretBoxFor(config);
    const qboConn = await requireQboConnection(config, qboSide, store, box, clock);
    const clioConn = await requireClioConnection(clioSide, store, box, clock);
    await recordSites(store, recordSitesOf(clioSide, qboSide), clock.now());

    const qboTokens = singleFlightTokens({
      clock,
      name: "QuickBooks Online (lexbridge connect qbo)",
      connection: "qbo",
      initial: qboConn.tokens,
      refresh: (refreshToken) => qboOAuthClient(qboSide, clock, qboConn.oauth).refresh(refreshToken),
      onTokens: async (tokens) => {
        await saveRefreshedTokens(store, box, "qbo", { ...qboConn, tokens }, clock.now());
      },
    });
    const scale = options.quotaTimeScale ?? 1;
    const qboLimiter = observeRateWaits(
      new RateLimiter(clock, (key) => qboBudget(key, scale)),
      clock,
      options.onRateLimitWait && ((ms) => options.onRateLimitWait?.("qbo", ms)),
    );
    const qbo = createQboClient({
      realmId: qboConn.realmId,
      limiter: qboLimiter,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      tokens: qboTokens,
      clock,
      baseUrl: qboSide.apiBase,
      logger: logger.child({ provider: "qbo" }),
      timeoutMs: config.httpTimeoutMs,
      ...(options.stop ? { stop: options.stop } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs ? { baseDelayMs: options.baseDelayMs } : {}),
    });

    const clioTokens = singleFlightTokens({
      clock,
      name: "Clio Manage (lexbridge connect clio)",
      connection: "clio",
      initial: clioConn.tokens,
      refresh: (refreshToken) => refreshClio(clioSide, clock, refreshToken),
      onTokens: async (tokens) => {
        await saveRefreshedTokens(store, box, "clio", { ...clioConn, tokens }, clock.now());
      },
    });
    const clioLimiter = observeRateWaits(
      clioRateLimiter(clock, 50, 60_000 / scale),
      clock,
      options.onRateLimitWait && ((ms) => options.onRateLimitWait?.("clio", ms)),
    );
    const clioSend = createHttpStack({
      transport: fetchTransport(options.fetch),
      clock,
      logger: logger.child({ provider: "clio" }),
      limiter: clioLimiter,
      tokens: clioTokens,
      timeoutMs: config.httpTimeoutMs,
      retry: { maxAttempts: options.maxAttempts ?? 6, baseDelayMs: options.baseDelayMs ?? 500 },
      ...(options.stop ? { stop: options.stop } : {}),
    });
    const clioClient = new ClioClient({
      send: clioSend,
      baseUrl: clioSide.baseUrl,
      rateKey: clioRateKey(clioConn.tokens.accessToken),
    });
    const clio = new ClioSource(clioClient, clioSide.webBase);

    const deps: EngineDeps = {
      clio,
      qbo,
      store,
      clock,
      logger,
      settings: engineSettings(config, options.settings),
      ...(options.stop ? { signal: options.stop } : {}),
      qboBatchLaneWaitMs: () => qboLimiter.waitMs(`qbo:${qboConn.realmId}`, "batch"),
      qboBatchLaneRoom: () => qboLimiter.available(`qbo:${qboConn.realmId}`, "batch"),
    };
    return {
      deps,
      config,
      store,
      clioClient,
      rateLimiters: { clio: clioLimiter, qbo: qboLimiter },
      close: async () => {
        if (!options.store) await store.close();
        lock.release();
      },
    };
  } catch (error) {
    if (!options.store) await store.close();
    lock.release();
    throw error;
  }
}
