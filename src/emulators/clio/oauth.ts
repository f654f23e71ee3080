import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { answerRedirect, ConsentRequests, consentPage } from "../shared/consent-page.ts";
import type { ClioEmulatorConfig } from "./config.ts";
import type { OAuthToken } from "./records.ts";
import type { ClioState } from "./state.ts";

/**
 * OAuth 2.0 authorization-code flow (clio-api.md §1.3): authorize shows a consent page (Connect or
 * Cancel) — or, with `autoApprove`, approves at once (declines with `decision=deny`) — access tokens live `tokenExpiresIn` seconds, refresh tokens never expire
 * and are not rotated (a refresh answer carries no new refresh_token).
 */
export interface OAuthDeps {
  state: () => ClioState;
  config: ClioEmulatorConfig;
}

const codes = new WeakMap<
  ClioState,
  Map<string, { client_id: string; redirect_uri: string; user_id: number }>
>();

export function issueToken(
  state: ClioState,
  config: ClioEmulatorConfig,
  clientId: string,
  userId?: number,
): OAuthToken {
  const n = state.nextCounter("oauth_token");
  const digest = (kind: string) =>
    createHash("sha256").update(`${config.region}:${kind}:${n}:${clientId}`).digest("hex");
  const token: OAuthToken = {
    access_token: `${config.region}-at-${digest("access").slice(0, 40)}`,
    refresh_token: `${config.region}-rt-${digest("refresh").slice(0, 40)}`,
    client_id: clientId,
    user_id: userId ?? firstUserId(state),
    expires_at: state.clock.now() + config.tokenExpiresIn * 1000,
    revoked: false,
  };
  state.tokens.set(token.access_token, token);
  return token;
}

function firstUserId(state: ClioState): number {
  for (const u of state.all("users")) return u.id;
  return state.insert("users", {
    name: "Emulated Admin",
    first_name: "Emulated",
    last_name: "Admin",
    email: "admin@example.test",
  }).id;
}

function knownClient(deps: OAuthDeps, clientId: string, secret?: string): boolean {
  const app = deps.state().apps.get(clientId);
  if (!app) return !deps.config.requireRegisteredApps && clientId !== "";
  return secret === undefined || app.client_secret === secret;
}

async function formBody(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("Content-Type") ?? "";
  if (type.includes("application/json")) return (await c.req.json()) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(await c.req.text()));
}

export function registerOAuth(app: Hono, deps: OAuthDeps): void {
  const consents = new ConsentRequests();

  const issueCode = (clientId: string, redirectUri: string) => {
    const state = deps.state();
    const code = createHash("sha256")
      .update(`code:${state.nextCounter("oauth_code")}:${clientId}`)
      .digest("hex")
      .slice(0, 32);
    let map = codes.get(state);
    if (!map) {
      map = new Map();
      codes.set(state, map);
    }
    map.set(code, { client_id: clientId, redirect_uri: redirectUri, user_id: firstUserId(state) });
    return code;
  };

  // Errors in the request itself are shown, never redirected (RFC 6749 §4.1.2.1).
  app.get("/oauth/authorize", (c) => {
    const q = c.req.query();
    const redirect = q.redirect_uri;
    if (q.response_type !== "code" || !q.client_id || !redirect) {
      return c.json(
        {
          error: "invalid_request",
          error_description: "response_type=code, client_id and redirect_uri are required",
        },
        400,
      );
    }
    if (!knownClient(deps, q.client_id))
      return c.json({ error: "invalid_client", error_description: "Unknown client" }, 401);
    const registered = deps.state().apps.get(q.client_id);
    if (registered && !registered.redirect_uris.includes(redirect)) {
      return c.json(
        { error: "invalid_redirect_uri", error_description: "redirect_uri does not match the app" },
        400,
      );
    }
    if (deps.config.autoApprove) {
      const target = new URL(redirect);
      if (q.decision === "deny") target.searchParams.set("error", "access_denied");
      else target.searchParams.set("code", issueCode(q.client_id, redirect));
      if (q.state !== undefined) target.searchParams.set("state", q.state);
      return c.redirect(target.toString(), 302);
    }
    const consentId = consents.open(
      { clientId: q.client_id, redirectUri: redirect, state: q.state, extra: {} },
      deps.state().clock.now(),
    );
    return c.html(
      consentPage({
        provider: `Clio Manage (emulator, region ${deps.config.region})`,
        appName: q.client_id,
        access: `the firm ${deps.config.firmName}, with the permissions set on the app`,
        action: "/oauth/authorize/consent",
        consentId,
      }),
    );
  });

  app.post("/oauth/authorize/consent", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const consent = consents.take(form.get("consent") ?? undefined, deps.state().clock.now());
    if (!consent) return c.text("This authorization request expired or was already answered", 400);
    if (form.get("decision") !== "allow")
      return c.redirect(answerRedirect(consent, { error: "access_denied" }), 302);
    return c.redirect(
      answerRedirect(consent, { code: issueCode(consent.clientId, consent.redirectUri) }),
      302,
    );
  });

  app.post("/oauth/token", async (c) => {
    const body = await formBody(c);
    const state = deps.state();
    const clientId = body.client_id ?? "";
    if (!knownClient(deps, clientId, body.client_secret)) {
      return c.json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
    }
    if (body.grant_type === "authorization_code") {
      const entry = codes.get(state)?.get(body.code ?? "");
      if (!entry || entry.client_id !== clientId || entry.redirect_uri !== body.redirect_uri) {
        return c.json(
          { error: "invalid_grant", error_description: "The authorization code is invalid" },
          400,
        );
      }
      codes.get(state)?.delete(body.code ?? "");
      const token = issueToken(state, deps.config, clientId, entry.user_id);
      return c.json({
        access_token: token.access_token,
        token_type: "bearer",
        expires_in: deps.config.tokenExpiresIn,
        refresh_token: token.refresh_token,
      });
    }
    if (body.grant_type === "refresh_token") {
      const old = [...state.tokens.values()].find(
        (t) => t.refresh_token === body.refresh_token && !t.revoked,
      );
      if (!old || old.client_id !== clientId) {
        return c.json({ error: "invalid_grant", error_description: "The refresh token is invalid" }, 400);
      }
      const n = state.nextCounter("oauth_token");
      const access = `${deps.config.region}-at-${createHash("sha256").update(`${deps.config.region}:refresh:${n}`).digest("hex").slice(0, 40)}`;
      state.tokens.set(access, {
        ...old,
        access_token: access,
        expires_at: state.clock.now() + deps.config.tokenExpiresIn * 1000,
      });
      return c.json({ access_token: access, token_type: "bearer", expires_in: deps.config.tokenExpiresIn });
    }
    return c.json(
      { error: "unsupported_grant_type", error_description: "Use authorization_code or refresh_token" },
      400,
    );
  });

  app.post("/oauth/deauthorize", (c) => {
    const state = deps.state();
    const token = state.tokens.get(bearer(c.req.header("Authorization")) ?? "");
    if (!token) return invalidToken(c);
    for (const t of state.tokens.values()) if (t.refresh_token === token.refresh_token) t.revoked = true;
    return c.body(null, 200);
  });
}

export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return m?.[1]?.trim();
}

/** The RFC 6749 401 body of clio-api.md §1.3. */
export function invalidToken(c: Context): Response {
  return c.json(
    {
      error: "invalid_token",
      error_description:
        "The access token provided is expired, revoked, malformed or invalid for other reasons.",
    },
    401,
  );
}
