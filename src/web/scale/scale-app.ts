import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { LexError } from "../../core/errors.ts";
import type { WebSession } from "../../store/port.ts";
import type { DashboardUser, DashboardUsers } from "../../store/postgres/dashboard-users.ts";
import type { FirmRecord } from "../../store/postgres/firm-registry.ts";
import { dashboardErrors, dashboardFront, registerFirmPages } from "../app.ts";
import { registerAssets } from "../assets.ts";
import { requireCsrfToken } from "../csrf-token.ts";
import { errorBlock } from "../error-block.ts";
import { page } from "../layout.ts";
import { LoginLimiter } from "../login-limiter.ts";
import { registerLogin } from "../pages/login.ts";
import { requireLogin } from "../require-login.ts";
import type { WebEnv } from "../web-env.ts";
import { registerAddFirm } from "./add-firm-routes.ts";
import { type FirmDashboard, firmDashboard } from "./firm-dashboard.ts";
import { firmPrefix, serveFirmPage } from "./firm-mount.ts";
import { firmSummaries, firmsPage } from "./firms-page.ts";
import { registerScaleWebhooks, type ScaleWebhookDeps } from "./scale-webhooks.ts";

export interface ScaleWebAppDeps extends ScaleWebhookDeps {
  users: DashboardUsers;
  allowedHostnames?: string[];
}

/** Firms whose pages were opened, kept so their connect attempts (OAuth states) live; the oldest go past this. */
const MAX_OPEN_FIRMS = 1000;

type OpenFirm = FirmDashboard & { app: Hono<WebEnv> };

/**
 * Scale mode's dashboard: many firms of one PostgreSQL database. The login is the installation's
 * (dashboard_users): an integrator's admin sees every firm, a firm's user only its own. /firms
 * lists them; each firm's pages are the embedded dashboard's, served under /firms/<id>/ on that
 * firm's store, with passes queued for the workers. A firm a user may not see answers 404 exactly
 * as a firm that does not exist. Webhooks are routed to their firm (firm-routing.ts).
 */
export function createScaleWebApp(deps: ScaleWebAppDeps): Hono<WebEnv> {
  const { registry, users, clock, logger } = deps;
  const app = dashboardFront(deps);
  const sessions = new WeakMap<Request, WebSession>();
  const open = new Map<string, OpenFirm>();

  const openFirm = (firm: FirmRecord): OpenFirm => {
    const known = open.get(firm.id);
    if (known) return known;
    const dashboard = firmDashboard(deps, firm);
    const firmApp = new Hono<WebEnv>();
    // The session the installation's login found, handed over with the request (serveFirmPage).
    firmApp.use(async (c, next) => {
      const session = sessions.get(c.req.raw);
      if (!session) return c.text("Forbidden.", 403);
      c.set("session", session);
      return next();
    });
    firmApp.use(requireCsrfToken());
    registerFirmPages(firmApp, dashboard.deps);
    firmApp.onError(dashboardErrors(logger));
    const made = { ...dashboard, app: firmApp };
    open.set(firm.id, made);
    if (open.size > MAX_OPEN_FIRMS) open.delete(open.keys().next().value!);
    return made;
  };

  app.get("/healthz", (c) => c.json({ status: "ok", mode: "scale" }));
  registerAssets(app);
  registerScaleWebhooks(app, deps);
  app.use(requireLogin(users, clock));
  // A firm's pages check their forms' tokens themselves (the body is read there).
  const csrfToken = requireCsrfToken();
  app.use((c, next) => (c.req.path.startsWith("/firms/") ? next() : csrfToken(c, next)));
  registerLogin(app, { store: users, clock, limiter: new LoginLimiter(clock), trustProxy: deps.trustProxy });

  /** The logged-in user, or undefined when removed since the login (its sessions are gone too). */
  const userOf = (session: WebSession) => users.get(session.user);
  const isAdmin = (user: DashboardUser | undefined) => user !== undefined && user.firmId === undefined;
  const notFound = (session: WebSession) =>
    page({
      title: "Not found",
      session,
      nav: [{ path: "/firms", label: "Firms" }],
      body: html`<p>No such page.</p>`,
    });

  app.get("/", async (c) => {
    const user = await userOf(c.get("session"));
    return c.redirect(user?.firmId ? `${firmPrefix(user.firmId)}/status` : "/firms", 303);
  });
  // Where a login goes by default (the embedded dashboard's first page).
  app.get("/status", (c) => c.redirect("/", 303));

  app.get("/firms", async (c) => {
    const session = c.get("session");
    const user = await userOf(session);
    const firms = isAdmin(user)
      ? await registry.list()
      : [await registry.get(user?.firmId ?? "")].filter((f): f is FirmRecord => f !== undefined);
    return c.html(firmsPage(session, await firmSummaries(deps.database.pool, firms), isAdmin(user)));
  });

  const addFirm = registerAddFirm(app, deps, {
    isAdmin: async (session) => isAdmin(await userOf(session)),
    notFound,
  });

  // Public, like the embedded dashboard's (the state proves the answer): the attempt that issued
  // the state knows its firm, new or existing.
  app.get("/oauth/callback", async (c) => {
    const query = new URL(c.req.url).searchParams;
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const owner = [...addFirm.attempts(), ...open.values()].find(
      (o) => o.connect.returnOriginOf(query) !== undefined,
    );
    try {
      if (!owner)
        throw new LexError(
          "oauth_state_mismatch",
          "The redirect's state was not issued by this serve (a stale tab, an attempt from before a restart, or a forged request)",
        );
      const done = await owner.connect.finish(query);
      addFirm.done(owner.firmId);
      logger.info({ provider: done.provider, firm: owner.firmId }, "connected from the dashboard");
      return c.redirect(
        `${done.returnOrigin}${firmPrefix(owner.firmId)}/connections?connected=${done.provider}`,
        303,
      );
    } catch (error) {
      logger.warn({ err: error }, "connecting from the dashboard failed; nothing was stored");
      return c.html(
        page({
          title: "Not connected",
          body: html`${errorBlock(error)}<p><a href="/firms">Back to the firms</a></p>`,
        }),
        400,
      );
    }
  });

  const firmPages = async (c: Context<WebEnv>) => {
    const session = c.get("session");
    const user = await userOf(session);
    const firmId = c.req.param("firmId") ?? "";
    const maysee = user !== undefined && (user.firmId === undefined || user.firmId === firmId);
    const firm = maysee ? await registry.get(firmId) : undefined;
    // Another firm's page answers as a firm that does not exist: nothing of it is shown or told.
    if (!firm) return c.html(notFound(session), 404);
    const dashboard = openFirm(firm);
    try {
      await dashboard.refresh();
      return await serveFirmPage(dashboard.app, c.req.raw, firm.id, session, sessions, dashboard.name());
    } finally {
      await dashboard.settle();
    }
  };
  app.all("/firms/:firmId", firmPages);
  app.all("/firms/:firmId/*", firmPages);
  app.onError(dashboardErrors(logger));
  return app;
}
