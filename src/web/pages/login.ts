import type { Hono } from "hono";
import { html } from "hono/html";
import type { Clock } from "../../core/clock.ts";
import type { WebAccounts } from "../../store/postgres/dashboard-users.ts";
import { type Html, page } from "../layout.ts";
import type { LoginLimiter } from "../login-limiter.ts";
import { verifyPassword } from "../password-hash.ts";
import { clientAddress } from "../request-origin.ts";
import { safeNextPath } from "../require-login.ts";
import { currentSession, endSession, startSession } from "../sessions.ts";
import type { WebEnv } from "../web-env.ts";

export interface LoginDeps {
  store: WebAccounts;
  clock: Clock;
  limiter: LoginLimiter;
  trustProxy: boolean;
}

const UNKNOWN_USER_HASH = `scrypt$32768$8$1$${"A".repeat(22)}$${"A".repeat(43)}`;

function loginForm(next: string, error?: string): Html {
  return page({
    title: "Log in",
    body: html`<article>
      ${error ? html`<p role="alert"><strong>${error}</strong></p>` : ""}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}" />
        <label>User <input name="user" autocomplete="username" value="admin" required /></label>
        <label>Password <input type="password" name="password" autocomplete="current-password" required autofocus /></label>
        <button type="submit">Log in</button>
      </form>
    </article>`,
  });
}

/**
 * GET/POST /login and POST /logout. Failed logins count per client address and per user name
 * (LoginLimiter): the sixth within a minute gets 429 with Retry-After, before any password check.
 */
export function registerLogin(app: Hono<WebEnv>, deps: LoginDeps): void {
  app.get("/login", async (c) => {
    if (await currentSession(c, deps.store, deps.clock.now()))
      return c.redirect(safeNextPath(c.req.query("next")), 303);
    return c.html(loginForm(safeNextPath(c.req.query("next"))));
  });

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const user = String(form.user ?? "").trim();
    const next = safeNextPath(String(form.next ?? ""));
    const keys = [`ip:${clientAddress(c, deps.trustProxy)}`, `user:${user.toLowerCase()}`];
    const wait = deps.limiter.retryAfterSeconds(keys);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return c.html(loginForm(next, `Too many failed logins; try again in ${wait} s.`), 429);
    }
    const stored = user ? await deps.store.getWebPassword(user) : undefined;
    // An unknown user costs the same scrypt run as a known one, so timing tells no user names.
    const matches = await verifyPassword(String(form.password ?? ""), stored ?? UNKNOWN_USER_HASH);
    const ok = stored !== undefined && matches;
    if (!ok) {
      deps.limiter.recordFailure(keys);
      return c.html(loginForm(next, "Wrong user or password."), 401);
    }
    deps.limiter.clear(`user:${user.toLowerCase()}`);
    await startSession(c, deps.store, user, deps.clock.now(), deps.trustProxy);
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    await endSession(c, deps.store, c.get("session"));
    return c.redirect("/login", 303);
  });
}
