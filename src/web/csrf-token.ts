import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "./web-env.ts";

/** The form field every state-changing form of a session carries. */
export const CSRF_FIELD = "_csrf";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The second CSRF defence, after hono/csrf's Origin check: a logged-in request that changes state
 * must carry its session's token in the form body, which another site cannot read. 403 otherwise.
 */
export function requireCsrfToken(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const session = c.get("session");
    // The login form has no session token to carry (a new session replaces any old one there).
    if (SAFE_METHODS.has(c.req.method) || !session || c.req.path === "/login") return next();
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const sent = body[CSRF_FIELD];
    if (typeof sent !== "string" || !sameToken(sent, session.csrfToken))
      return c.text("Forbidden: the form's security token is missing or out of date. Reload the page.", 403);
    return next();
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
