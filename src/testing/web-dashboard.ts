import { FakeClock } from "../core/clock.ts";
import { silentLogger } from "../core/logger.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { setAdminPassword } from "../web/admin-password.ts";
import { createWebApp, type WebAppDeps } from "../web/app.ts";

const ORIGIN = "http://127.0.0.1:4000";
export const PASSWORD = "a long enough password";

/** The dashboard in-process, on an in-memory store, with passes counted instead of run. */
export async function dashboard(
  options: {
    trustProxy?: boolean;
    allowedHostnames?: string[];
    extra?: (store: SqliteStore, clock: FakeClock) => Partial<WebAppDeps>;
  } = {},
) {
  const store = new SqliteStore(":memory:");
  const clock = new FakeClock();
  await setAdminPassword(store, PASSWORD, clock.now());
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
    ...options.extra?.(store, clock),
  });
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) =>
    app.request(`${ORIGIN}${path}`, {
      ...init,
      headers: {
        ...(init.method === "POST"
          ? { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" }
          : {}),
        ...(init.cookie ? { Cookie: init.cookie } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const login = async (password = PASSWORD, headers: Record<string, string> = {}) =>
    request("/login", { method: "POST", body: new URLSearchParams({ user: "admin", password }), headers });
  /** Logs in and returns the session cookie and the CSRF token of its forms. */
  const session = async () => {
    const response = await login();
    const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await request("/status", { cookie })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return { cookie, token };
  };
  return { app, store, clock, request, login, session, passes: () => passes };
}
