import type { Hono } from "hono";
import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { setAdminPassword } from "../web/admin-password.ts";
import { createWebApp, type WebAppDeps } from "../web/app.ts";
import type { WebEnv } from "../web/web-env.ts";

export const DASHBOARD_ORIGIN = "http://127.0.0.1:4000";
export const DASHBOARD_PASSWORD = "a long enough password";

/**
 * A request to a dashboard app in-process as a browser on DASHBOARD_ORIGIN sends it: a POST with
 * the page's Origin and a form body, the session's cookie when given.
 */
export function dashboardRequest(app: Pick<Hono<WebEnv>, "request">) {
  return (path: string, init: RequestInit & { cookie?: string } = {}) =>
    app.request(`${DASHBOARD_ORIGIN}${path}`, {
      ...init,
      headers: {
        ...(init.method === "POST"
          ? { Origin: DASHBOARD_ORIGIN, "Content-Type": "application/x-www-form-urlencoded" }
          : {}),
        ...(init.cookie ? { Cookie: init.cookie } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
}

/**
 * The dashboard in-process, on an in-memory store, with passes counted instead of run; `extra`
 * adds or replaces dependencies (a reconciliation, the settings). For tests of src/web.
 */
export async function dashboardApp(
  options: {
    trustProxy?: boolean;
    allowedHostnames?: string[];
    /** Or made from the harness's store and clock (deps that keep state there). */
    extra?: Partial<WebAppDeps> | ((store: SqliteStore, clock: FakeClock) => Partial<WebAppDeps>);
  } = {},
) {
  const store = new SqliteStore(":memory:");
  const clock = new FakeClock();
  await setAdminPassword(store, DASHBOARD_PASSWORD, clock.now());
  let passes = 0;
  const app = createWebApp({
    store,
    clock,
    logger: silentLogger,
    runner: {
      runNow: async () => {
        passes += 1;
      },
      status: () => ({ running: false }),
    },
    readQboCustomer: async () => undefined,
    connectionStates: async () => [],
    trustProxy: options.trustProxy ?? false,
    ...(options.allowedHostnames ? { allowedHostnames: options.allowedHostnames } : {}),
    ...(typeof options.extra === "function" ? options.extra(store, clock) : options.extra),
  });
  const request = dashboardRequest(app);
  const login = async (password = DASHBOARD_PASSWORD, headers: Record<string, string> = {}) =>
    request("/login", { method: "POST", body: new URLSearchParams({ user: "admin", password }), headers });
  /** Logs in and returns the session cookie and the CSRF token of its forms. */
  const session = async () => {
    const response = await login();
    const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await request("/status", { cookie })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return { cookie, token };
  };
  /** A form POSTed with the session's cookie and CSRF token. */
  const post = async (path: string, fields: Record<string, string> = {}) => {
    const { cookie, token } = await session();
    return request(path, { method: "POST", cookie, body: new URLSearchParams({ ...fields, _csrf: token }) });
  };
  return { app, store, clock, request, login, session, post, passes: () => passes };
}
