import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { ProviderName } from "../../app/connections.ts";
import type { DashboardConnect } from "../../app/dashboard-connect.ts";
import type { Logger } from "../../core/logger.ts";
import { errorBlock } from "../error-block.ts";
import { page } from "../layout.ts";
import { publicOrigin } from "../request-origin.ts";
import type { WebEnv } from "../web-env.ts";

export interface ConnectRoutesDeps {
  connect: DashboardConnect;
  logger: Logger;
  trustProxy: boolean;
}

const LABEL: Record<ProviderName, string> = { clio: "Clio Manage", qbo: "QuickBooks Online" };

function providerOf(c: Context): ProviderName | undefined {
  const p = c.req.param("provider");
  return p === "clio" || p === "qbo" ? p : undefined;
}

/**
 * Connecting from the dashboard. "Connect" is a link (GET), not a form: it changes nothing
 * stored, and a form's redirect to the provider would be blocked by the CSP's `form-action
 * 'self'`; a cross-site page cannot start it (Sec-Fetch-Site). The provider sends the browser to
 * `/oauth/callback` (public: the browser may come back on another host name than the one it is
 * logged in on; the state proves the answer), which stores the connection and returns to
 * Connections. Disconnecting is a POST form with the session's CSRF token.
 */
export function registerConnectRoutes(app: Hono<WebEnv>, deps: ConnectRoutesDeps): void {
  app.get("/connections/:provider/connect", async (c) => {
    const provider = providerOf(c);
    if (!provider) return c.notFound();
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none")
      return c.text("Forbidden: connecting starts from the dashboard's own Connections page.", 403);
    try {
      return c.redirect(await deps.connect.start(provider, publicOrigin(c, deps.trustProxy)), 303);
    } catch (error) {
      return c.html(failurePage(`Connecting ${LABEL[provider]} could not start`, error, "", c), 502);
    }
  });

  app.get("/oauth/callback", async (c) => {
    const query = new URL(c.req.url).searchParams;
    const back = deps.connect.returnOriginOf(query) ?? "";
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    try {
      const done = await deps.connect.finish(query);
      deps.logger.info({ provider: done.provider }, "connected from the dashboard");
      return c.redirect(`${done.returnOrigin}/connections?connected=${done.provider}`, 303);
    } catch (error) {
      deps.logger.warn({ err: error }, "connecting from the dashboard failed; nothing was stored");
      return c.html(failurePage("Not connected", error, back, c), 400);
    }
  });

  app.post("/connections/:provider/disconnect", async (c) => {
    const provider = providerOf(c);
    if (!provider) return c.notFound();
    const form = await c.req.parseBody();
    try {
      await deps.connect.disconnect(provider, form.forget_only === "on");
      return c.redirect(`/connections?disconnected=${provider}`, 303);
    } catch (error) {
      return c.html(failurePage(`${LABEL[provider]} is still connected`, error, "", c), 502);
    }
  });
}

function failurePage(title: string, error: unknown, back: string, c: Context<WebEnv>) {
  const session = c.get("session");
  return page({
    title,
    ...(session ? { session, active: "/connections" } : {}),
    body: html`${errorBlock(error)}<p><a href="${back}/connections">Back to Connections</a></p>`,
  });
}
