import { secretBoxFor } from "../../app/connections.ts";
import { openDatabase } from "../../app/open-store.ts";
import { FirmJobQueue } from "../../app/scale-serve/firm-job-queue.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { Config } from "../../core/config.ts";
import { LexError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { DashboardUsers } from "../../store/postgres/dashboard-users.ts";
import { FirmRegistry } from "../../store/postgres/firm-registry.ts";
import type { PostgresDatabase } from "../../store/postgres/postgres-database.ts";
import { WebhookRoutes } from "../../store/postgres/webhook-routes.ts";
import { ensureAdminPassword } from "../../web/admin-password.ts";
import { isLoopback, servedHostnames } from "../../web/host-check.ts";
import { createScaleWebApp } from "../../web/scale/scale-app.ts";
import { listen } from "../../web/server.ts";

export interface ScaleServeHandle {
  url: string;
  redirectUri: string;
  database: PostgresDatabase;
  stop(): Promise<void>;
}

/** How long a webhook delivery's fingerprint is kept: longer than Clio's and Intuit's retries of one. */
const WEBHOOK_DEDUP_TTL_MS = 7 * 86_400_000;

/**
 * `lexbridge serve` with a database URL: the dashboard of every firm in the database. It runs no
 * pass itself (the workers do): the pages, webhooks and connections queue the firms' jobs. It
 * takes no data directory lock and no firm's lock while idle, so it runs beside the workers (and
 * beside other serve processes; a connect attempt must come back to the process that started it,
 * whose memory holds its state).
 */
export async function startScaleServe(
  installation: Config,
  logger: Logger,
  options: { host: string; adminPassword: string | undefined; clock?: Clock },
): Promise<ScaleServeHandle> {
  if (!installation.databaseUrl) throw new Error("scale mode needs databaseUrl");
  if (installation.firm)
    throw new LexError(
      "serve_firm_given",
      `serve in scale mode is the dashboard of every firm; it takes no --firm (${installation.firm})`,
    );
  // The firms' connections are sealed with the environment's installation key: fail now, not at a page.
  secretBoxFor({ ...installation, firm: "any" });
  const clock = options.clock ?? systemClock;
  const database = await openDatabase(installation.databaseUrl);
  try {
    const users = new DashboardUsers(database.pool);
    if (!(await users.list()).some((u) => u.firmId === undefined)) {
      const source = await ensureAdminPassword(users, options.adminPassword, clock.now());
      if (source === "from_env")
        logger.info("integrator admin 'admin' created from LEXBRIDGE_ADMIN_PASSWORD");
    }
    const queue = await FirmJobQueue.open(database);
    let redirectUri = installation.redirectUri ?? "";
    const app = createScaleWebApp({
      installation,
      database,
      registry: new FirmRegistry(database.pool),
      routes: new WebhookRoutes(database.pool),
      queue,
      users,
      clock,
      logger,
      trustProxy: Boolean(installation.trustProxy),
      redirectUri: () => redirectUri,
      dedupTtlMs: WEBHOOK_DEDUP_TTL_MS,
      ...(isLoopback(options.host) ? { allowedHostnames: servedHostnames(installation.publicUrl) } : {}),
    });
    const server = await listen(app.fetch, options.host, installation.port);
    redirectUri ||= `http://localhost:${new URL(server.url).port}/oauth/callback`;
    return {
      url: server.url,
      redirectUri,
      database,
      stop: async () => {
        await server.close();
        await queue.release();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
