/**
 * The OAuth 2.0 server (reference §2): authorize (a consent page where a person picks the company
 * and chooses Connect or Cancel, then a redirect with code, state and realmId — or at once with
 * `autoApprove`), token (authorization_code and refresh_token grants, 3600 s access tokens,
 * refresh rotation with the previous token valid for a grace period), revoke. Any client id and
 * secret are accepted until an app is registered through the admin API.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { answerRedirect, ConsentRequests, consentPage } from "../shared/consent-page.ts";
import type { EmulatorCore } from "./core.ts";
import type { OAuthApp } from "./state.ts";

const CODE_TTL_MS = 5 * 60 * 1000;

function token(prefix: string): string {
  return prefix + randomBytes(24).toString("base64url");
}

function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.toLowerCase().startsWith("basic ")) return undefined;
  const text = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const i = text.indexOf(":");
  if (i < 0) return undefined;
  return { id: text.slice(0, i), secret: text.slice(i + 1) };
}

function appFor(core: EmulatorCore, clientId: string | undefined): OAuthApp | undefined | "open" {
  const apps = core.state.oauth.apps;
  if (Object.keys(apps).length === 0) return "open";
  return clientId === undefined ? undefined : apps[clientId];
}

/** Issues a fresh access + refresh token pair for a realm (also used by the admin API). */
export function issueTokens(core: EmulatorCore, realmId: string, clientId: string) {
  const now = core.clock.now();
  const { access, refresh } = core.state.oauth;
  const accessToken = token("eyJlbXUi.");
  const refreshToken = token("AB11");
  access[accessToken] = { realmId, clientId, expires: now + core.config.accessTokenTtlSeconds * 1000 };
  refresh[refreshToken] = { realmId, clientId, expires: now + core.config.refreshTokenTtlSeconds * 1000 };
  return {
    token_type: "bearer",
    access_token: accessToken,
    expires_in: core.config.accessTokenTtlSeconds,
    refresh_token: refreshToken,
    x_refresh_token_expires_in: core.config.refreshTokenTtlSeconds,
    realmId,
  };
}

/** Checks a bearer token; returns its realm or a reason it is refused. */
export function checkBearer(
  core: EmulatorCore,
  header: string | undefined,
): { realmId: string } | { reason: string } {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!match) return { reason: "Authorization header is missing or is not a bearer token" };
  const rec = core.state.oauth.access[match[1]!.trim()];
  if (!rec) return { reason: "Malformed bearer token: too short or too long" };
  if (rec.revoked) return { reason: "Token revoked" };
  if (rec.expires <= core.clock.now()) return { reason: "Token expired" };
  return { realmId: rec.realmId };
}

function companyNameOf(core: EmulatorCore, realmId: string): string {
  const info = Object.values(core.realm(realmId)?.records.CompanyInfo ?? {})[0];
  return typeof info?.data.CompanyName === "string" ? info.data.CompanyName : "New company";
}

async function revokedToken(contentType: string, text: string): Promise<string | undefined> {
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return new URLSearchParams(text).get("token") || undefined;
  }
  try {
    const token = (JSON.parse(text) as { token?: unknown }).token;
    return typeof token === "string" && token ? token : undefined;
  } catch {
    return undefined;
  }
}

function oauthError(error: string, description: string) {
  return { error, error_description: description };
}

export function oauthRoutes(core: EmulatorCore): Hono {
  const app = new Hono();

  const consents = new ConsentRequests();

  /** A fresh single-use code for the app, redirect URI and company the person approved. */
  const issueCode = (clientId: string, redirectUri: string, realmId: string) => {
    let realm = realmId;
    if (!core.realm(realm)) realm = core.createRealm(undefined, realm).realmId;
    const code = token("AB1");
    core.state.oauth.codes[code] = {
      realmId: realm,
      clientId,
      redirectUri,
      expires: core.clock.now() + CODE_TTL_MS,
      used: false,
    };
    return { code, realmId: realm };
  };

  // Errors in the request itself are shown to the person, never redirected (RFC 6749 §4.1.2.1):
  // an unknown client or a redirect URI not registered on the app must not be sent anywhere.
  app.get("/connect/oauth2", (c) => {
    const q = c.req.query();
    const app0 = appFor(core, q.client_id);
    if (!q.redirect_uri) return c.text("redirect_uri is required", 400);
    if (app0 === undefined) return c.text("invalid client_id", 400);
    if (app0 !== "open" && !app0.redirectUris.includes(q.redirect_uri)) {
      return c.text("The redirect_uri does not match any registered for this app", 400);
    }
    if (q.response_type !== "code") return c.text("response_type must be code", 400);
    if (!(q.scope ?? "").split(" ").includes("com.intuit.quickbooks.accounting")) {
      return c.text("scope must include com.intuit.quickbooks.accounting", 400);
    }
    const realmId = q.realmId ?? core.state.defaultRealmId;
    if (core.config.autoApprove) {
      const issued = issueCode(q.client_id ?? "", q.redirect_uri, realmId);
      const target = new URL(q.redirect_uri);
      target.searchParams.set("code", issued.code);
      if (q.state !== undefined) target.searchParams.set("state", q.state);
      target.searchParams.set("realmId", issued.realmId);
      return c.redirect(target.toString(), 302);
    }
    const consentId = consents.open(
      { clientId: q.client_id ?? "", redirectUri: q.redirect_uri, state: q.state, extra: {} },
      core.clock.now(),
    );
    const realms = Object.values(core.state.realms);
    return c.html(
      consentPage({
        provider: "QuickBooks Online (emulator)",
        appName: q.client_id ?? "",
        access: "the accounting data of the company you choose",
        action: "/connect/oauth2/consent",
        consentId,
        choices: {
          name: "realmId",
          label: "Company",
          options: [realmId, ...realms.map((r) => r.realmId).filter((id) => id !== realmId)].map((id) => ({
            value: id,
            label: `${companyNameOf(core, id)} (${id})`,
          })),
        },
      }),
    );
  });

  app.post("/connect/oauth2/consent", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const consent = consents.take(form.get("consent") ?? undefined, core.clock.now());
    if (!consent) return c.text("This authorization request expired or was already answered", 400);
    if (form.get("decision") !== "allow") {
      return c.redirect(answerRedirect(consent, { error: "access_denied" }), 302);
    }
    const issued = issueCode(
      consent.clientId,
      consent.redirectUri,
      form.get("realmId") ?? core.state.defaultRealmId,
    );
    return c.redirect(answerRedirect(consent, { code: issued.code, realmId: issued.realmId }), 302);
  });

  app.post("/oauth2/v1/tokens/bearer", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const creds = basicAuth(c.req.header("authorization")) ?? {
      id: form.get("client_id") ?? "",
      secret: form.get("client_secret") ?? "",
    };
    const registered = appFor(core, creds.id);
    if (registered === undefined || (registered !== "open" && registered.clientSecret !== creds.secret)) {
      return c.json(oauthError("invalid_client", "Client authentication failed"), 401);
    }
    const now = core.clock.now();
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      const code = core.state.oauth.codes[form.get("code") ?? ""];
      if (
        !code ||
        code.used ||
        code.expires <= now ||
        (registered !== "open" && code.clientId !== creds.id)
      ) {
        return c.json(
          oauthError("invalid_grant", "The authorization code is invalid, expired or was already used"),
          400,
        );
      }
      if (code.redirectUri !== form.get("redirect_uri")) {
        return c.json(
          oauthError("invalid_grant", "redirect_uri does not match the authorization request"),
          400,
        );
      }
      code.used = true;
      const { realmId: _r, ...body } = issueTokens(core, code.realmId, creds.id);
      return c.json(body);
    }
    if (grant === "refresh_token") {
      const presented = form.get("refresh_token") ?? "";
      const rec = core.state.oauth.refresh[presented];
      const valid =
        rec && !rec.revoked && rec.expires > now && (rec.graceUntil === undefined || rec.graceUntil > now);
      if (!rec || !valid || (registered !== "open" && rec.clientId !== creds.id)) {
        return c.json(oauthError("invalid_grant", "Incorrect or invalid refresh token"), 400);
      }
      if (rec.graceUntil === undefined) rec.graceUntil = now + core.config.refreshGraceMs;
      const { realmId: _r, ...body } = issueTokens(core, rec.realmId, rec.clientId);
      return c.json(body);
    }
    return c.json(oauthError("unsupported_grant_type", `grant_type ${grant ?? ""} is not supported`), 400);
  });

  app.post("/v2/oauth2/tokens/revoke", async (c) => {
    const creds = basicAuth(c.req.header("authorization"));
    const registered = appFor(core, creds?.id);
    if (registered === undefined || (registered !== "open" && registered.clientSecret !== creds?.secret)) {
      return c.json(oauthError("invalid_client", "Client authentication failed"), 401);
    }
    // Intuit documents a JSON body; clients such as node-quickbooks send it form-encoded.
    const tok = await revokedToken(c.req.header("content-type") ?? "", await c.req.text());
    if (tok === undefined) return c.json(oauthError("invalid_request", "The body must carry a token"), 400);
    const { access, refresh } = core.state.oauth;
    const target = access[tok] ?? refresh[tok];
    if (target) {
      // Revoking disconnects the app from the company: every token of that pair dies.
      for (const rec of [...Object.values(access), ...Object.values(refresh)]) {
        if (rec.realmId === target.realmId && rec.clientId === target.clientId) rec.revoked = true;
      }
    }
    return c.body(null, 200);
  });

  return app;
}
