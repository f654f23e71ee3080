import { Hono } from "hono";
import type { Clock } from "../../core/clock.ts";
import { registerAdmin } from "./admin/index.ts";
import { type ClioEmulatorConfig, defaultConfig } from "./config.ts";
import { FaultInjector } from "./faults.ts";
import { type ApiEnv, ApiFailure, apiError } from "./http.ts";
import { bearer, invalidToken, issueToken, registerOAuth } from "./oauth.ts";
import { TokenRateLimiter } from "./rate-limit.ts";
import type { OAuthToken } from "./records.ts";
import { registerBills } from "./resources/bills.ts";
import { registerContacts } from "./resources/contacts.ts";
import { registerExtras } from "./resources/extras.ts";
import { registerMatters } from "./resources/matters.ts";
import { registerMoney } from "./resources/money.ts";
import "./resources/specs-billing.ts";
import "./resources/specs-contacts.ts";
import { registerWebhooks } from "./resources/webhooks.ts";
import { ClioState, type ClioStateJson } from "./state.ts";
import { checkAgainstSpec } from "./strict-spec.ts";
import { WebhookDispatcher } from "./webhooks/dispatcher.ts";

export interface ClioEmulatorOptions extends Partial<ClioEmulatorConfig> {
  clock?: Clock;
  /** Initial state, e.g. `generateFirm(...).clio`. */
  firm?: ClioStateJson;
  /** Used for webhook handshakes and deliveries. */
  fetchImpl?: typeof fetch;
  /** Seed of the fault generator. */
  faultSeed?: number;
}

export interface ClioEmulator {
  app: Hono;
  state: ClioState;
  config: ClioEmulatorConfig;
  limiter: TokenRateLimiter;
  faults: FaultInjector;
  webhooks: WebhookDispatcher;
  latency: { ms: number; jitterMs: number };
  /** Mints an access token without the OAuth dance (tests, demos). */
  issueToken(clientId?: string): OAuthToken;
  /** Empties the state (or loads `firm`). */
  reset(firm?: ClioStateJson): void;
  exportState(): ClioStateJson;
}

export function emptyState(clock?: Clock): ClioStateJson {
  const state = new ClioState(clock);
  state.insert("users", {
    name: "Emulated Admin",
    first_name: "Emulated",
    last_name: "Admin",
    email: "admin@example.test",
  });
  return state.toJSON();
}

export function createClioEmulator(options: ClioEmulatorOptions = {}): ClioEmulator {
  const { clock, firm, fetchImpl, faultSeed, ...overrides } = options;
  const config = defaultConfig(overrides);
  const state = new ClioState(clock);
  state.load(firm ?? emptyState(clock));
  state.firmName = config.firmName;
  const limiter = new TokenRateLimiter(state.clock, config.rateLimitPerMinute, config.timeScale);
  const faults = new FaultInjector();
  faults.configure({ rules: [], seed: faultSeed ?? 1 });
  const webhooks = new WebhookDispatcher(state, config, fetchImpl ?? fetch);
  const latency = { ms: 0, jitterMs: 0 };

  const app = new Hono({
    // Paths are valid with or without `.json` (clio-api.md §1.1).
    getPath: (req) => {
      const path = new URL(req.url).pathname;
      return path.startsWith("/api/v4/") && path.endsWith(".json") ? path.slice(0, -5) : path;
    },
  });
  const emulator: ClioEmulator = {
    app,
    state,
    config,
    limiter,
    faults,
    webhooks,
    latency,
    issueToken: (clientId = "emulator") => issueToken(state, config, clientId),
    reset: (json) => {
      state.load(json ?? emptyState(state.clock));
      limiter.reset();
      webhooks.reset();
    },
    exportState: () => state.toJSON(),
  };

  app.onError((err, c) => {
    if (err instanceof ApiFailure) return apiError(c, err.status, err.type, err.message);
    return apiError(c, 500, "InternalServerError", err instanceof Error ? err.message : String(err));
  });
  registerOAuth(app, { state: () => state, config });
  registerAdmin(app, emulator);
  app.route("/api/v4", apiApp(emulator));
  return emulator;
}

function apiApp(emulator: ClioEmulator): Hono<ApiEnv> {
  const { state, config, limiter, faults, latency } = emulator;
  const api = new Hono<ApiEnv>();
  api.use("*", async (c, next) => {
    const fault = faults.pick(c.req.method, new URL(c.req.url).pathname);
    if (fault) {
      if (fault.kind === "429") {
        c.header("Retry-After", "1");
        return apiError(c, 429, "RateLimited", "Rate limit exceeded (injected fault)");
      }
      if (fault.kind === "500" || fault.kind === "503") {
        return apiError(c, Number(fault.kind), "ServerError", "Injected fault");
      }
      if (fault.kind === "reset") {
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
        incoming?.socket?.destroy();
        c.header("X-Emulator-Fault", "reset");
        return apiError(c, 502, "ConnectionReset", "Injected connection reset");
      }
      await state.clock.sleep(fault.delayMs ?? (fault.kind === "slow" ? 2000 : 120_000));
      if (fault.kind === "timeout") return apiError(c, 504, "GatewayTimeout", "Injected timeout");
    }
    if (latency.ms > 0 || latency.jitterMs > 0) {
      await state.clock.sleep(latency.ms + Math.floor(((state.writeSeq % 997) / 997) * latency.jitterMs));
    }
    const requested = c.req.header("X-API-VERSION");
    const version = requested ?? config.defaultVersion;
    if (!config.supportedVersions.includes(version)) {
      return apiError(
        c,
        410,
        "UnsupportedVersion",
        `API version ${version} is invalid or no longer supported`,
      );
    }
    const token = state.tokens.get(bearer(c.req.header("Authorization")) ?? "");
    if (!token || token.revoked || token.expires_at <= state.clock.now()) return invalidToken(c);
    limiter.limit = config.rateLimitPerMinute;
    limiter.timeScale = config.timeScale;
    const decision = limiter.take(token.access_token);
    c.header("X-RateLimit-Limit", String(decision.limit));
    c.header("X-RateLimit-Remaining", String(decision.remaining));
    c.header("X-RateLimit-Reset", String(decision.reset));
    if (!decision.allowed) {
      c.header("Retry-After", String(decision.retryAfter));
      return apiError(c, 429, "RateLimited", "You have exceeded the rate limit for this access token");
    }
    c.set("state", state);
    c.set("config", config);
    c.set("apiVersion", version);
    c.set("userId", token.user_id);
    c.set("accessToken", token.access_token);
    c.header("X-API-VERSION", version);
    if (config.strictSpec) checkAgainstSpec(c.req.method, new URL(c.req.url));
    await next();
  });
  registerContacts(api);
  registerMatters(api);
  registerBills(api);
  registerMoney(api);
  registerExtras(api);
  registerWebhooks(api, emulator.webhooks);
  api.notFound((c) => apiError(c, 404, "RecordNotFound", "No route matches this path"));
  api.onError((err, c) => {
    if (err instanceof ApiFailure) return apiError(c, err.status, err.type, err.message);
    return apiError(c, 500, "InternalServerError", err instanceof Error ? err.message : String(err));
  });
  return api;
}
