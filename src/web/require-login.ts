import type { MiddlewareHandler } from "hono";
import type { Clock } from "../core/clock.ts";
import type { WebAccounts } from "../store/postgres/dashboard-users.ts";
import { currentSession } from "./sessions.ts";
import type { WebEnv } from "./web-env.ts";

/** The only paths served without a login (webhooks prove themselves by their signatures). */
export function isPublicPath(path: string): boolean {
  return (
    path === "/healthz" ||
    path === "/login" ||
    path === "/oauth/callback" ||
    path.startsWith("/webhooks/") ||
    path.startsWith("/assets/")
  );
}

/** Every other request needs a live session; without one the browser is sent to the login page. */
export function requireLogin(store: WebAccounts, clock: Clock): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const session = await currentSession(c, store, clock.now());
    if (!session) {
      const back = c.req.method === "GET" ? `?next=${encodeURIComponent(c.req.path)}` : "";
      return c.redirect(`/login${back}`, 303);
    }
    c.set("session", session);
    return next();
  };
}

/** Only a path on this site may follow a login (never `//evil.example` or an absolute URL). */
export function safeNextPath(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/status";
}
