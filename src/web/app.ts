import { type ErrorHandler, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { ConnectionState } from "../app/connection-states.ts";
import type { DashboardConnect } from "../app/dashboard-connect.ts";
import type { LiveProgress } from "../app/live-progress.ts";
import type { ReadQboCustomer } from "../app/match-review.ts";
import type { PassRunner } from "../app/pass-runner.ts";
import type { ServeSettings } from "../app/serve-settings.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Store } from "../store/port.ts";
import { registerAssets } from "./assets.ts";
import { requireCsrfToken } from "./csrf-token.ts";
import { requireHost } from "./host-check.ts";
import { LoginLimiter } from "./login-limiter.ts";
import { type MetricsRouteDeps, registerMetricsRoute } from "./metrics-route.ts";
import { registerAuditPage } from "./pages/audit.ts";
import { registerConnectRoutes } from "./pages/connect.ts";
import { type ConnectionsDeps, registerConnectionsPage, type WebhookStatus } from "./pages/connections.ts";
import { registerLogin } from "./pages/login.ts";
import { registerMatchesPage } from "./pages/matches.ts";
import { registerReconciliationPage } from "./pages/reconciliation.ts";
import { registerSettingsPage, type SettingsDeps } from "./pages/settings.ts";
import { registerStatusPage } from "./pages/status.ts";
import { registerProgressStream } from "./progress-section.ts";
import { publicOrigin } from "./request-origin.ts";
import { requireLogin } from "./require-login.ts";
import { dashboardSecurityHeaders } from "./security-headers.ts";
import type { WebEnv } from "./web-env.ts";
import { registerWebhooks } from "./webhooks/routes.ts";
import type { WebhookDeps } from "./webhooks/webhook-deps.ts";

export interface WebAppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  runner: Pick<PassRunner, "runNow" | "status">;
  readQboCustomer: ReadQboCustomer;
  connectionStates(): Promise<ConnectionState[]>;
  /** Trust X-Forwarded-Proto/-For (serve runs behind a reverse proxy that sets them). */
  trustProxy: boolean;
  /** The only Host names served (on loopback: LOOPBACK_HOSTNAMES); undefined serves any. */
  allowedHostnames?: string[];
  /** The webhook receivers (POST /webhooks/clio, /webhooks/qbo), public. */
  webhooks?: WebhookDeps;
  /** GET /metrics, public only on loopback or with its bearer token. */
  metrics?: MetricsRouteDeps;
  /** The webhooks' state, shown on Connections. */
  webhookStatus?(): WebhookStatus;
  /** Connecting and disconnecting from Connections; without it the pages point to the CLI. */
  connect?: DashboardConnect;
  /** The passes' progress, on Sync Status and Connections and at /progress/stream. */
  live?: LiveProgress;
  /** The rate budgets' headroom per provider, on Connections. */
  rateHeadroom?: ConnectionsDeps["rateHeadroom"];
  /** A full reconciliation between passes (PassRunner.runExclusive); the Reconciliation page's button. */
  reconcileNow?(): Promise<unknown>;
  /** The dashboard's settings (start date, conflict policy, interval), for the Settings page. */
  settings?: Pick<ServeSettings, "view" | "save">;
  /** The connected QuickBooks company's accounts and items: the Settings page's choices. */
  qboChoices?: SettingsDeps["qboChoices"];
  choicesWaitMs?: SettingsDeps["choicesWaitMs"];
}

/**
 * The dashboard as a Hono app (tests call it in-process; `lexbridge serve` puts it on a port).
 * Order matters: security headers on every answer; the Origin check (hono/csrf) before anything
 * reads a form; then the login; then the session's CSRF token on every state-changing request.
 */
export function createWebApp(deps: WebAppDeps): Hono<WebEnv> {
  const app = dashboardFront(deps);
  app.get("/healthz", (c) => {
    const run = deps.runner.status();
    return c.json({
      status: "ok",
      pass: {
        running: run.running,
        lastFinishedAt: run.lastFinishedAt ? new Date(run.lastFinishedAt).toISOString() : null,
        lastPassFailed: run.lastError !== undefined,
      },
    });
  });
  registerAssets(app);
  if (deps.webhooks) registerWebhooks(app, deps.webhooks);
  if (deps.metrics) registerMetricsRoute(app, deps.metrics);
  app.use(requireLogin(deps.store, deps.clock));
  app.use(requireCsrfToken());
  registerLogin(app, {
    store: deps.store,
    clock: deps.clock,
    limiter: new LoginLimiter(deps.clock),
    trustProxy: deps.trustProxy,
  });
  registerFirmPages(app, deps);
  app.onError(dashboardErrors(deps.logger));
  return app;
}

/**
 * What every answer of the dashboard goes through first (embedded and scale mode): the security
 * headers, the Host check, and for all but the webhook receivers the Origin check (hono/csrf)
 * before anything reads a form, and a small body limit.
 */
export function dashboardFront(deps: Pick<WebAppDeps, "trustProxy" | "allowedHostnames">): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(dashboardSecurityHeaders());
  if (deps.allowedHostnames) app.use(requireHost(deps.allowedHostnames));
  // Webhook receivers take JSON from other sites, check their own signatures and limits.
  const forDashboard =
    (handler: MiddlewareHandler<WebEnv>): MiddlewareHandler<WebEnv> =>
    (c, next) =>
      c.req.path.startsWith("/webhooks/") ? next() : handler(c, next);
  app.use(forDashboard(csrf({ origin: (origin, c) => origin === publicOrigin(c, deps.trustProxy) })));
  // The dashboard's forms are a few fields; a bigger body (even to /login) is refused unread.
  app.use(forDashboard(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("Request too large.", 413) })));
  return app;
}

/**
 * The pages of one firm (everything behind the login but the login itself), on that firm's
 * dependencies: the whole dashboard in embedded mode, one firm's part of it in scale mode.
 */
export function registerFirmPages(app: Hono<WebEnv>, deps: WebAppDeps): void {
  registerStatusPage(app, deps);
  registerMatchesPage(app, deps);
  registerConnectionsPage(app, deps);
  // The OAuth redirect (/oauth/callback) is public (isPublicPath): the state proves it.
  if (deps.connect)
    registerConnectRoutes(app, { connect: deps.connect, logger: deps.logger, trustProxy: deps.trustProxy });
  if (deps.live) registerProgressStream(app, deps.live);
  registerReconciliationPage(app, deps);
  registerAuditPage(app, deps);
  registerSettingsPage(app, deps);
}

/** A failed request: logged, and answered without its details. */
export function dashboardErrors(logger: Logger): ErrorHandler<WebEnv> {
  return (error, c) => {
    // hono/csrf refuses with an HTTPException that carries its 403.
    if (error instanceof HTTPException) return error.getResponse();
    logger.error({ err: error, path: c.req.path }, "dashboard request failed");
    return c.text("Something went wrong; the log has the details.", 500);
  };
}
