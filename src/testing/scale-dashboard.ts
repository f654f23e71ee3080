import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FirmJobPayload } from "../app/worker/firm-jobs.ts";
import { FakeClock } from "../core/clock.ts";
import { loadConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { silentLogger } from "../core/logger.ts";
import { SecretBox } from "../core/secret-box.ts";
import { DashboardUsers } from "../store/postgres/dashboard-users.ts";
import { FirmRegistry } from "../store/postgres/firm-registry.ts";
import { PostgresDatabase } from "../store/postgres/postgres-database.ts";
import { WebhookRoutes } from "../store/postgres/webhook-routes.ts";
import { hashPassword } from "../web/password-hash.ts";
import { createScaleWebApp } from "../web/scale/scale-app.ts";
import { DASHBOARD_ORIGIN, dashboardRequest } from "./dashboard-app.ts";
import { createTestSchema, testDatabaseUrl } from "./postgres-schema.ts";

export const SCALE_PASSWORD = "a long enough password";

/**
 * Scale mode's dashboard in-process, on a PostgreSQL schema of its own, with the firms given
 * (none of them connected) and jobs recorded instead of queued for workers. For tests of
 * src/web/scale and the webhook routing.
 */
export async function scaleDashboard(options: {
  firms: Array<{ id: string; name: string }>;
  /** Dashboard users: firm undefined for an integrator's admin. */
  users: Array<{ name: string; firm?: string }>;
  config?: Record<string, unknown>;
  logger?: Logger;
}) {
  // Firms' connections and Clio secrets are sealed with the environment's installation key.
  process.env.LEXBRIDGE_SECRET_KEY ??= SecretBox.generateKey();
  const schema = await createTestSchema();
  const database = await PostgresDatabase.open({ url: testDatabaseUrl, schema: schema.name });
  const clock = new FakeClock();
  const registry = new FirmRegistry(database.pool);
  for (const firm of options.firms) await registry.add({ ...firm, settings: {}, createdAt: clock.now() });
  const users = new DashboardUsers(database.pool);
  const hash = await hashPassword(SCALE_PASSWORD);
  for (const user of options.users)
    await users.add({ name: user.name, ...(user.firm ? { firmId: user.firm } : {}) }, hash, clock.now());
  const jobs: FirmJobPayload[] = [];
  const routes = new WebhookRoutes(database.pool);
  const installation = loadConfig({
    env: {},
    flags: {
      dataDir: mkdtempSync(join(tmpdir(), "lexbridge-scale-")),
      databaseUrl: testDatabaseUrl,
      ...options.config,
    },
  });
  const app = createScaleWebApp({
    installation,
    database,
    registry,
    routes,
    users,
    clock,
    logger: options.logger ?? silentLogger,
    trustProxy: false,
    redirectUri: () => `${DASHBOARD_ORIGIN}/oauth/callback`,
    dedupTtlMs: 86_400_000,
    queue: {
      add: async (payload) => {
        jobs.push(payload);
        return String(jobs.length);
      },
      // The tests' workers end every job at once.
      ended: async () => {},
    },
  });
  const request = dashboardRequest(app);
  /** Logs a user in: its session cookie and the CSRF token of its forms. */
  const login = async (user: string) => {
    const response = await request("/login", {
      method: "POST",
      body: new URLSearchParams({ user, password: SCALE_PASSWORD }),
    });
    const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await request("/firms", { cookie })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return { cookie, token };
  };
  return {
    app,
    database,
    registry,
    routes,
    clock,
    jobs,
    installation,
    request,
    login,
    storeOf: (firmId: string) => database.storeFor(firmId),
    close: async () => {
      await database.close();
      await schema.drop();
    },
  };
}
