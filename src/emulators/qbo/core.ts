/**
 * The emulator's state and services without HTTP: realms, the operation context, quotas, faults,
 * webhooks and the injected clock. Routes (api, oauth, admin) are thin layers over this.
 */
import { type Clock, systemClock } from "../../core/clock.ts";
import { type CompanyOptions, createCompany } from "./company.ts";
import { FaultInjector } from "./fault-injection.ts";
import type { OpContext } from "./operations.ts";
import { type QuotaConfig, Quotas } from "./quotas.ts";
import { RequestTap } from "./request-tap.ts";
import { defaultTxnRules, type TxnRuleOptions } from "./rules-txns.ts";
import { type EmulatorState, emptyState, type RealmState, type StoredRecord } from "./state.ts";
import { metaTime } from "./time.ts";
import { Webhooks } from "./webhooks.ts";

export interface QboEmulatorOptions {
  clock?: Clock;
  quotas?: Partial<QuotaConfig>;
  /** Shorthand for quotas.timeScale. */
  timeScale?: number;
  /** Require a valid bearer token on API calls (default true). */
  requireAuth?: boolean;
  rules?: Partial<TxnRuleOptions>;
  /** Seed for probabilistic fault injection. */
  faultSeed?: number;
  /** Used to deliver webhooks (default global fetch). */
  webhookFetch?: typeof fetch;
  companyName?: string;
  /** The first company's country and tax setup (company-profiles.ts; default a US company without sales tax). */
  company?: CompanyOptions;
  /** Realm id of the first company (default 9130350000000001). */
  defaultRealmId?: string;
  /** How long a replaced refresh token keeps working (default 24 h). */
  refreshGraceMs?: number;
  accessTokenTtlSeconds?: number;
  /** Approve authorizations at once instead of showing the consent page (demo, tests). */
  autoApprove?: boolean;
}

export interface EmulatorConfig {
  requireAuth: boolean;
  rules: TxnRuleOptions;
  companyName: string;
  refreshGraceMs: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  autoApprove: boolean;
}

export interface EmulatorCore {
  state: EmulatorState;
  clock: Clock;
  config: EmulatorConfig;
  quotas: Quotas;
  faults: FaultInjector;
  /** Counts data API requests; tests listen to it to act at the N-th one. */
  requests: RequestTap;
  webhooks: Webhooks;
  createRealm(companyName?: string, realmId?: string, company?: CompanyOptions): RealmState;
  realm(realmId: string): RealmState | undefined;
  context(realm: RealmState, include?: Set<string>): OpContext;
  reset(): void;
}

const REALM_BASE = 9130350000000000n;

export function createCore(options: QboEmulatorOptions = {}): EmulatorCore {
  const clock = options.clock ?? systemClock;
  const quotas = new Quotas(clock, {
    ...options.quotas,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
  });
  const webhooks = new Webhooks(clock, options.webhookFetch);
  const config: EmulatorConfig = {
    requireAuth: options.requireAuth ?? true,
    rules: { ...defaultTxnRules, ...options.rules },
    companyName: options.companyName ?? "Sample Law Firm LLP",
    refreshGraceMs: options.refreshGraceMs ?? 24 * 3600 * 1000,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: 8_726_400,
    autoApprove: options.autoApprove ?? false,
  };
  const core: EmulatorCore = {
    state: emptyState(),
    clock,
    config,
    quotas,
    faults: new FaultInjector(options.faultSeed ?? 1),
    requests: new RequestTap(),
    webhooks,
    createRealm(companyName, realmId, company) {
      const id = realmId ?? String(REALM_BASE + BigInt(core.state.nextRealmSeq));
      core.state.nextRealmSeq += 1;
      const realm = createCompany(id, companyName ?? config.companyName, clock.now(), company);
      core.state.realms[id] = realm;
      if (!core.state.defaultRealmId) core.state.defaultRealmId = id;
      return realm;
    },
    realm(realmId) {
      return core.state.realms[realmId];
    },
    context(realm, include = new Set()) {
      return {
        realm,
        now: clock.now(),
        include,
        rules: config.rules,
        changed: (type: string, rec: StoredRecord, operation) => {
          webhooks.emit({
            realmId: realm.realmId,
            name: type,
            id: rec.id,
            operation,
            lastUpdated: metaTime(rec.updated),
          });
        },
      };
    },
    reset() {
      const apps = core.state.oauth.apps;
      core.state = emptyState();
      core.state.oauth.apps = apps;
      quotas.reset();
      webhooks.stop();
      core.createRealm(config.companyName, options.defaultRealmId, options.company);
    },
  };
  core.createRealm(config.companyName, options.defaultRealmId, options.company);
  return core;
}
