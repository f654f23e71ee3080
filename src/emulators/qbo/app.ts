/** The emulator as one Hono app: OAuth, the data API and the admin API on one origin. */
import { Hono } from "hono";
import { adminRoutes } from "./admin.ts";
import { apiRoutes } from "./api.ts";
import type { EmulatorCore } from "./core.ts";
import { gatewayFault } from "./faults.ts";
import { oauthRoutes } from "./oauth.ts";

export const ADMIN_PREFIX = "/__admin";

export function buildApp(core: EmulatorCore): Hono {
  const app = new Hono();
  app.route("/", oauthRoutes(core));
  app.route(ADMIN_PREFIX, adminRoutes(core));
  app.route("/", apiRoutes(core) as unknown as Hono);
  app.onError((err, c) => {
    const body = gatewayFault(
      "10000",
      "InternalServerError",
      500,
      err instanceof Error ? err.message : String(err),
      "SystemFault",
      core.clock.now(),
    );
    return c.json(body, 500);
  });
  app.notFound((c) =>
    c.json({ fault: { error: [{ message: "Resource not found", detail: c.req.path, code: "404" }] } }, 404),
  );
  return app;
}
