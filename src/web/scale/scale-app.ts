import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { readClioSubscriptions } from "../../app/clio-webhook-subscriptions.ts";
import { secretBoxFor } from "../../app/connections.ts";
import { DashboardConnect } from "../../app/dashboard-connect.ts";
import { checkFirmId, firmConfig } from "../../app/firm-settings.ts";
import { LexError } from "../../core/errors.ts";
import type { WebSession } from "../../store/port.ts";
import type { DashboardUser, DashboardUsers } from "../../store/postgres/dashboard-users.ts";
import type { FirmRecord } from "../../store/postgres/firm-registry.ts";
import { dashboardErrors, dashboardFront, registerFirmPages } from "../app.ts";
import { registerAssets } from "../assets.ts";
import { requireCsrfToken } from "../csrf-token.ts";
import { page } from "../layout.ts";
import { LoginLimiter } from "../login-limiter.ts";
import { errorBlock } from "../pages/connect.ts";
import { registerLogin } from "../pages/login.ts";
import { publicOrigin } from "../request-origin.ts";
import { requireLogin } from "../require-login.ts";
import type { WebEnv } from "../web-env.ts";
import { firmRoutingReceivers } from "../webhooks/firm-routing.ts";
import { registerWebhookRoutes } from "../webhooks/routes.ts";
import type { DeliveryOutcome, WebhookProvider } from "../webhooks/webhook-deps.ts";
import {
  connectionChanged,
  type FirmDashboard,
  firmDashboard,
  type ScaleDashboardDeps,
} from "./firm-dashboard.ts";
import { firmPrefix, serveFirmPage } from "./firm-mount.ts";
import { addFirmPage, connectNewFirmPage, firmSummaries, firmsPage } from "./firms-page.ts";

export interface ScaleWebAppDeps extends ScaleDashboardDeps {
  users: DashboardUsers;
  allowedHostnames?: string[];
  /** How long a webhook delivery's fingerprint is kept (per firm). */
  dedupTtlMs: number;
  onDelivery?(provider: WebhookProvider, outcome: DeliveryOutcome): void;
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
  /** Add firm: the connect attempt of a firm not created yet, by its id. */
  const pending = new Map<string, { firmId: string; connect: DashboardConnect }>();

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
  registerWebhookRoutes(
    app,
    {
      logger: logger.child({ component: "webhooks" }),
      trustProxy: deps.trustProxy,
      onOutcome: deps.onDelivery,
    },
    firmRoutingReceivers({
      routes: deps.routes,
      logger: logger.child({ component: "webhooks" }),
      qboVerifierToken: deps.installation.qboWebhookVerifierToken,
      clioEnabled: Boolean(deps.installation.publicUrl),
      firmDeps: async (firmId, qboRealm) => {
        const store = deps.database.storeFor(firmId);
        const secrets = await readClioSubscriptions(
          store,
          secretBoxFor({ ...deps.installation, firm: firmId }),
        );
        const token = deps.installation.qboWebhookVerifierToken;
        return {
          store,
          clock,
          logger: logger.child({ component: "webhooks", firm: firmId }),
          dedupTtlMs: deps.dedupTtlMs,
          clio: () => ({ secrets, expectingHandshake: false }),
          qbo: token ? { verifierToken: token, connectedRealm: async () => qboRealm } : undefined,
          // A delivery queues the firm's pass now (a pending one moves here; many share it).
          onChange: () =>
            void deps.queue
              .add({ firmId, kind: "pass" })
              .catch((error: unknown) =>
                logger.error({ err: error, firm: firmId }, "queuing a webhook's pass failed"),
              ),
        };
      },
    }),
  );
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

  // Add firm (an integrator's admin only): step 1 asks its id, step 2 connects; the firm is
  // created when the provider has accepted the connection.
  app.get("/add-firm", async (c) => {
    const session = c.get("session");
    if (!isAdmin(await userOf(session))) return c.html(notFound(session), 404);
    return c.html(addFirmPage(session, {}));
  });
  app.post("/add-firm", async (c) => {
    const session = c.get("session");
    if (!isAdmin(await userOf(session))) return c.html(notFound(session), 404);
    const form = await c.req.parseBody();
    const id = String(form.id ?? "").trim();
    const name = String(form.name ?? "").trim() || id;
    const clioRegion = String(form.clioRegion ?? "us");
    const problem = await newFirmProblem(id);
    if (problem) return c.html(addFirmPage(session, { id, name, error: problem }), 400);
    return c.html(connectNewFirmPage(session, { id, name, clioRegion }));
  });
  app.get("/add-firm/:provider/connect", async (c) => {
    const session = c.get("session");
    const provider = c.req.param("provider");
    if (!isAdmin(await userOf(session)) || (provider !== "qbo" && provider !== "clio"))
      return c.html(notFound(session), 404);
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none")
      return c.text("Forbidden: adding a firm starts from the dashboard's own page.", 403);
    const id = c.req.query("id") ?? "";
    const problem = await newFirmProblem(id);
    if (problem) return c.html(addFirmPage(session, { id, error: problem }), 400);
    const region = c.req.query("clioRegion");
    const firm: FirmRecord = {
      id,
      name: c.req.query("name") || id,
      settings: region && ["us", "ca", "eu", "au"].includes(region) ? { clioRegion: region } : {},
      createdAt: clock.now(),
    };
    const config = () => ({ ...firmConfig(deps.installation, firm), redirectUri: deps.redirectUri() });
    const connect = new DashboardConnect({
      config,
      store: deps.database.storeFor(id),
      clock,
      beforeStore: async () => {
        if (!(await registry.add({ ...firm, createdAt: clock.now() })))
          throw new LexError("firm_exists", `A firm with the id "${id}" exists already`);
        logger.info({ firm: id }, "firm added from the dashboard");
      },
      onChanged: (changed) =>
        void connectionChanged(deps, id, config(), changed).catch((error: unknown) =>
          logger.error({ err: error, firm: id }, "queuing the new firm's first pass failed"),
        ),
    });
    pending.set(id, { firmId: id, connect });
    try {
      return c.redirect(await connect.start(provider, publicOrigin(c, deps.trustProxy)), 303);
    } catch (error) {
      return c.html(page({ title: "Connecting could not start", session, body: errorBlock(error) }), 502);
    }
  });

  /** Why this id cannot be a new firm's, if it cannot. */
  const newFirmProblem = async (id: string): Promise<string | undefined> => {
    try {
      checkFirmId(id);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return (await registry.get(id)) ? `A firm with the id "${id}" exists already` : undefined;
  };

  // Public, like the embedded dashboard's (the state proves the answer): the attempt that issued
  // the state knows its firm, new or existing.
  app.get("/oauth/callback", async (c) => {
    const query = new URL(c.req.url).searchParams;
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const owner = [...pending.values(), ...open.values()].find(
      (o) => o.connect.returnOriginOf(query) !== undefined,
    );
    try {
      if (!owner)
        throw new LexError(
          "oauth_state_mismatch",
          "The redirect's state was not issued by this serve (a stale tab, an attempt from before a restart, or a forged request)",
        );
      const done = await owner.connect.finish(query);
      pending.delete(owner.firmId);
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
