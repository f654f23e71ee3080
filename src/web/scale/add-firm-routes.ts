import type { Hono } from "hono";
import { DashboardConnect } from "../../app/dashboard-connect.ts";
import { checkFirmId, firmConfig } from "../../app/firm-settings.ts";
import { CLIO_REGIONS } from "../../clio/regions.ts";
import { LexError } from "../../core/errors.ts";
import type { WebSession } from "../../store/port.ts";
import type { FirmRecord } from "../../store/postgres/firm-registry.ts";
import { errorBlock } from "../error-block.ts";
import { type Html, page } from "../layout.ts";
import { publicOrigin } from "../request-origin.ts";
import type { WebEnv } from "../web-env.ts";
import { connectionChanged, type ScaleDashboardDeps } from "./firm-dashboard.ts";
import { addFirmPage, connectNewFirmPage } from "./firms-page.ts";

/** A connect attempt and the firm it is for (an existing firm's, or a new one's). */
export interface ConnectAttempt {
  firmId: string;
  connect: DashboardConnect;
}

/** New firms' connect attempts kept at once: a person adds one firm at a time; this only bounds memory. */
const MAX_NEW_FIRMS = 50;

/**
 * Add firm (an integrator's admin only): step 1 asks the firm's id, name and Clio region
 * (nothing stored), step 2 connects QuickBooks or Clio through the usual OAuth flow. The firm is
 * created once the provider has accepted the code, just before its connection is stored
 * (DashboardConnect's beforeStore): a taken id fails the connect and stores nothing. Then its QBO
 * company is routed to it and its first pass queued. Returns the attempts in flight, for the
 * callback to find the one that issued a state.
 */
export function registerAddFirm(
  app: Hono<WebEnv>,
  deps: ScaleDashboardDeps,
  access: { isAdmin(session: WebSession): Promise<boolean>; notFound(session: WebSession): Html },
): { attempts(): ConnectAttempt[]; done(firmId: string): void } {
  const pending = new Map<string, ConnectAttempt>();
  const { registry, clock, logger } = deps;

  /** Why this id cannot be a new firm's, if it cannot. */
  const problemWith = async (id: string): Promise<string | undefined> => {
    try {
      checkFirmId(id);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return (await registry.get(id)) ? `A firm with the id "${id}" exists already` : undefined;
  };

  app.get("/add-firm", async (c) => {
    const session = c.get("session");
    if (!(await access.isAdmin(session))) return c.html(access.notFound(session), 404);
    return c.html(addFirmPage(session, {}));
  });

  app.post("/add-firm", async (c) => {
    const session = c.get("session");
    if (!(await access.isAdmin(session))) return c.html(access.notFound(session), 404);
    const form = await c.req.parseBody();
    const id = String(form.id ?? "").trim();
    const name = String(form.name ?? "").trim() || id;
    const clioRegion = String(form.clioRegion ?? "us");
    const problem = await problemWith(id);
    if (problem) return c.html(addFirmPage(session, { id, name, error: problem }), 400);
    return c.html(connectNewFirmPage(session, { id, name, clioRegion }));
  });

  // A link, not a form, like Connect on Connections (the CSP's form-action 'self' would block a
  // form's redirect to the provider); another site's page cannot start it (Sec-Fetch-Site).
  app.get("/add-firm/:provider/connect", async (c) => {
    const session = c.get("session");
    const provider = c.req.param("provider");
    if (!(await access.isAdmin(session)) || (provider !== "qbo" && provider !== "clio"))
      return c.html(access.notFound(session), 404);
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none")
      return c.text("Forbidden: adding a firm starts from the dashboard's own page.", 403);
    const id = c.req.query("id") ?? "";
    const problem = await problemWith(id);
    if (problem) return c.html(addFirmPage(session, { id, error: problem }), 400);
    const region = c.req.query("clioRegion");
    const firm: FirmRecord = {
      id,
      name: c.req.query("name") || id,
      settings: CLIO_REGIONS.some((r) => r === region) ? { clioRegion: region } : {},
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
    pending.delete(id);
    pending.set(id, { firmId: id, connect });
    if (pending.size > MAX_NEW_FIRMS) pending.delete(pending.keys().next().value!);
    try {
      return c.redirect(await connect.start(provider, publicOrigin(c, deps.trustProxy)), 303);
    } catch (error) {
      return c.html(page({ title: "Connecting could not start", session, body: errorBlock(error) }), 502);
    }
  });

  return { attempts: () => [...pending.values()], done: (firmId) => pending.delete(firmId) };
}
