import type { Clock } from "../core/clock.ts";
import { fail, LexError, ok, type Result } from "../core/errors.ts";
import { oauthTokenError } from "../http/oauth-token-error.ts";
import { singleFlightTokens, type TokenSet } from "../http/single-flight-tokens.ts";
import type { HttpSend } from "../http/types.ts";
import { type ClioRegion, clioHost } from "./regions.ts";
import { ClioTokenResponse } from "./schemas/index.ts";

/**
 * Clio OAuth 2.0 per region (clio-api.md §1.3): authorization code, refresh (refresh tokens do not
 * rotate: when none comes back the old one is kept), deauthorize.
 */
export interface ClioOAuthApp {
  region: ClioRegion;
  /** Overrides the regional host (an emulator). */
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export function clioAuthorizeUrl(app: Omit<ClioOAuthApp, "clientSecret">, state: string): string {
  const url = new URL(`${clioHost(app.region, app.baseUrl)}/oauth/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", app.redirectUri);
  url.searchParams.set("state", state);
  return url.toString();
}

async function tokenCall(
  send: HttpSend,
  app: ClioOAuthApp,
  clock: Clock,
  form: Record<string, string>,
  keepRefresh?: string,
): Promise<Result<TokenSet>> {
  const res = await send({
    method: "POST",
    url: `${clioHost(app.region, app.baseUrl)}/oauth/token`,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      ...form,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    }).toString(),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    // A wrong regional host answers invalid_client, which looks like a bad secret (§1.1).
    return fail(
      oauthTokenError("clio", form.grant_type ?? "", res.status, (json ?? {}) as Record<string, unknown>),
    );
  }
  const parsed = ClioTokenResponse.safeParse(json);
  if (!parsed.success)
    return fail(new LexError("clio_unexpected_response", "Clio token response has no access_token"));
  const refreshToken = parsed.data.refresh_token ?? keepRefresh;
  if (!refreshToken)
    return fail(new LexError("clio_unexpected_response", "Clio token response has no refresh_token"));
  const tokens: TokenSet = { accessToken: parsed.data.access_token, refreshToken };
  if (parsed.data.expires_in !== undefined) tokens.expiresAt = clock.now() + parsed.data.expires_in * 1000;
  return ok(tokens);
}

export function exchangeClioCode(
  send: HttpSend,
  app: ClioOAuthApp,
  clock: Clock,
  code: string,
): Promise<Result<TokenSet>> {
  return tokenCall(send, app, clock, {
    grant_type: "authorization_code",
    code,
    redirect_uri: app.redirectUri,
  });
}

export function refreshClioToken(
  send: HttpSend,
  app: ClioOAuthApp,
  clock: Clock,
  refreshToken: string,
): Promise<Result<TokenSet>> {
  return tokenCall(
    send,
    app,
    clock,
    { grant_type: "refresh_token", refresh_token: refreshToken },
    refreshToken,
  );
}

export async function deauthorizeClio(
  send: HttpSend,
  app: Pick<ClioOAuthApp, "region" | "baseUrl">,
  accessToken: string,
): Promise<Result<void>> {
  const res = await send({
    method: "POST",
    url: `${clioHost(app.region, app.baseUrl)}/oauth/deauthorize`,
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await res.body?.cancel();
  return res.ok
    ? ok(undefined)
    : fail(new LexError("clio_auth_invalid", `deauthorize answered ${res.status}`, { status: res.status }));
}

/** A TokenSource (for withAuth) that refreshes through Clio once for all concurrent callers. */
export function clioTokenSource(options: {
  send: HttpSend;
  app: ClioOAuthApp;
  clock: Clock;
  initial: TokenSet;
  onTokens?: (t: TokenSet) => void | Promise<void>;
}) {
  return singleFlightTokens({
    clock: options.clock,
    initial: options.initial,
    ...(options.onTokens ? { onTokens: options.onTokens } : {}),
    refresh: async (refreshToken) => {
      const r = await refreshClioToken(options.send, options.app, options.clock, refreshToken);
      if (!r.ok) throw r.error;
      return r.value;
    },
  });
}
