import { ClioClient } from "../clio/client.ts";
import { readClioIdentity } from "../clio/identity.ts";
import { clioAuthorizeUrl, deauthorizeClio, exchangeClioCode, refreshClioToken } from "../clio/oauth.ts";
import type { Clock } from "../core/clock.ts";
import { LexError } from "../core/errors.ts";
import type { TokenSet } from "../http/single-flight-tokens.ts";
import { fetchTransport } from "../http/transport.ts";
import type { HttpSend } from "../http/types.ts";
import { QboClient, QboOAuth, type QboOAuthEndpoints, type QboTokenSet } from "../qbo/index.ts";
import type { ClioConnection, QboConnection } from "./connections.ts";
import type { ClioProvider, QboProvider } from "./providers.ts";

/**
 * One provider's side of the authorization-code flow: the address to send a person to, and what
 * to do with the redirect's query once its `state` was verified (exchange the code, find out what
 * was connected). The flow itself (state, listening, timeouts) is provider-neutral: connect-flow.ts.
 */
export interface Connector<C> {
  provider: "clio" | "qbo";
  label: string;
  redirectUri: string;
  authorizeUrl(state: string): string;
  complete(redirect: URLSearchParams): Promise<C>;
  describe(connection: C): string;
}

function bearerSend(send: HttpSend, token: string): HttpSend {
  return (request) => send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
}

export function qboOAuthClient(
  provider: QboProvider,
  clock: Clock,
  endpoints: QboOAuthEndpoints = provider.oauth,
  onTokens?: (tokens: TokenSet) => Promise<void>,
): QboOAuth {
  return new QboOAuth({
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: provider.redirectUri,
    endpoints,
    clock,
    ...(onTokens ? { onTokens } : {}),
  });
}

export function qboConnector(
  provider: QboProvider,
  clock: Clock,
  endpoints: QboOAuthEndpoints,
  send: HttpSend = fetchTransport(),
): Connector<QboConnection> {
  const oauth = qboOAuthClient(provider, clock, endpoints);
  return {
    provider: "qbo",
    label: "QuickBooks Online",
    redirectUri: provider.redirectUri,
    authorizeUrl: (state) => oauth.authorizeUrl(state),
    async complete(redirect) {
      const code = redirect.get("code");
      const realmId = redirect.get("realmId");
      if (!code || !realmId)
        throw new LexError(
          "oauth_redirect_mismatch",
          "The redirect carried no code or no realmId (company id)",
        );
      const tokens: QboTokenSet = await oauth.exchangeCode(code);
      const client = new QboClient({
        realmId,
        send: bearerSend(send, tokens.accessToken),
        baseUrl: provider.apiBase,
      });
      const info = await client.companyInfo();
      if (!info.ok) throw info.error;
      return {
        provider: "qbo",
        baseUrl: provider.apiBase,
        environment: provider.environment,
        realmId,
        companyName: String(info.value.CompanyName ?? ""),
        oauth: endpoints,
        tokens: storedTokens(tokens),
        connectedAt: clock.now(),
      };
    },
    describe: (c) => `QuickBooks Online company "${c.companyName}" (realmId ${c.realmId}, ${c.environment})`,
  };
}

export function clioConnector(
  provider: ClioProvider,
  clock: Clock,
  send: HttpSend = fetchTransport(),
): Connector<ClioConnection> {
  const app = clioApp(provider);
  return {
    provider: "clio",
    label: "Clio Manage",
    redirectUri: provider.redirectUri,
    authorizeUrl: (state) => clioAuthorizeUrl(app, state),
    async complete(redirect) {
      const code = redirect.get("code");
      if (!code) throw new LexError("oauth_redirect_mismatch", "The redirect carried no code");
      const tokens = await exchangeClioCode(send, app, clock, code);
      if (!tokens.ok) throw tokens.error;
      const client = new ClioClient({
        send,
        baseUrl: provider.baseUrl,
        accessToken: tokens.value.accessToken,
      });
      const me = await readClioIdentity(client);
      if (!me.ok) throw me.error;
      return {
        provider: "clio",
        baseUrl: provider.baseUrl,
        region: provider.region,
        ...me.value,
        tokens: storedTokens(tokens.value),
        connectedAt: clock.now(),
      };
    },
    describe: (c) =>
      `Clio Manage firm "${c.firmName}" as ${c.userName}${c.userEmail ? ` <${c.userEmail}>` : ""} (region ${c.region})`,
  };
}

export function clioApp(provider: ClioProvider) {
  return {
    region: provider.region,
    baseUrl: provider.baseUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: provider.redirectUri,
  };
}

export async function refreshClio(
  provider: ClioProvider,
  clock: Clock,
  refreshToken: string,
): Promise<TokenSet> {
  const r = await refreshClioToken(fetchTransport(), clioApp(provider), clock, refreshToken);
  if (!r.ok) throw r.error;
  return storedTokens(r.value);
}

/** Revokes a connection's tokens at its provider (QBO: the refresh token; Clio: deauthorize). */
export async function revokeQbo(
  provider: QboProvider,
  clock: Clock,
  connection: QboConnection,
): Promise<void> {
  await qboOAuthClient(provider, clock, connection.oauth ?? provider.oauth).revoke(
    connection.tokens.refreshToken,
  );
}

export async function revokeClio(provider: ClioProvider, connection: ClioConnection): Promise<void> {
  const r = await deauthorizeClio(fetchTransport(), clioApp(provider), connection.tokens.accessToken);
  if (!r.ok) throw r.error;
}

/** Only the fields worth keeping (no id_token or other extras from the token response). */
export function storedTokens(t: QboTokenSet): QboTokenSet {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
    ...(t.refreshExpiresAt ? { refreshExpiresAt: t.refreshExpiresAt } : {}),
  };
}
