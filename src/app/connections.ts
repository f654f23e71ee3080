import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clioAuthorizeUrl, exchangeClioCode, refreshClioToken } from "../clio/oauth.ts";
import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import { SecretBox } from "../core/secret-box.ts";
import type { TokenSet } from "../http/single-flight-tokens.ts";
import { fetchTransport } from "../http/transport.ts";
import { oauthEndpointsAt, QboOAuth } from "../qbo/oauth.ts";
import type { Store } from "../store/port.ts";
import { approveAtOnce } from "./oauth-bootstrap.ts";

/** The local callback lexbridge registers with both providers. */
export const REDIRECT_URI = "http://localhost:4000/oauth/callback";
const DEFAULT_CLIENT = { id: "lexbridge", secret: "lexbridge-local" };

export interface QboConnection {
  baseUrl: string;
  realmId: string;
  tokens: TokenSet;
}

export interface ClioConnection {
  baseUrl: string;
  tokens: TokenSet;
}

/** The key that seals tokens at rest: from the environment, or a file made once in the data dir. */
export function secretBoxFor(config: Config, env = process.env): SecretBox {
  if (env.LEXBRIDGE_SECRET_KEY) return new SecretBox(env.LEXBRIDGE_SECRET_KEY);
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, "secret.key");
  if (!existsSync(path)) writeFileSync(path, SecretBox.generateKey(), { mode: 0o600 });
  return new SecretBox(readFileSync(path, "utf8").trim());
}

export async function saveConnection(
  store: Store,
  box: SecretBox,
  name: "qbo" | "clio",
  value: unknown,
  at: number,
) {
  await store.commit({ kv: { [`connection:${name}`]: box.seal(JSON.stringify(value)) } }, at);
}

async function loadConnection<T>(store: Store, box: SecretBox, name: "qbo" | "clio"): Promise<T | undefined> {
  const sealed = await store.getKv(`connection:${name}`);
  return sealed ? (JSON.parse(box.open(sealed)) as T) : undefined;
}

/**
 * The QBO connection: the stored one when it is for the same server, otherwise a new one made
 * through the server's own OAuth endpoints (the emulator approves at once, so pointing lexbridge
 * at an emulator needs only its URL).
 */
export async function qboConnection(
  config: Config,
  store: Store,
  box: SecretBox,
  clock: Clock,
): Promise<QboConnection> {
  const stored = await loadConnection<QboConnection>(store, box, "qbo");
  if (
    stored &&
    stored.baseUrl === config.qboBaseUrl &&
    (!config.qboRealmId || stored.realmId === config.qboRealmId)
  )
    return stored;
  const oauth = qboOAuth(config, clock);
  const params = await approveAtOnce(oauth.authorizeUrl(`lexbridge-${clock.now()}`));
  const realmId = config.qboRealmId ?? params.get("realmId");
  if (!realmId)
    throw new LexError("config_invalid", "QuickBooks did not say which company (realmId) was connected");
  const tokens = await oauth.exchangeCode(params.get("code")!);
  const connection = { baseUrl: config.qboBaseUrl, realmId, tokens: plainTokens(tokens) };
  await saveConnection(store, box, "qbo", connection, clock.now());
  return connection;
}

export function qboOAuth(config: Config, clock: Clock, onTokens?: (t: TokenSet) => Promise<void>): QboOAuth {
  return new QboOAuth({
    clientId: config.qboClientId ?? DEFAULT_CLIENT.id,
    clientSecret: config.qboClientSecret ?? DEFAULT_CLIENT.secret,
    redirectUri: REDIRECT_URI,
    endpoints: oauthEndpointsAt(config.qboAuthBaseUrl ?? config.qboBaseUrl),
    clock,
    ...(onTokens ? { onTokens } : {}),
  });
}

export function clioApp(config: Config) {
  return {
    region: "us" as const,
    baseUrl: config.clioBaseUrl,
    clientId: config.clioClientId ?? DEFAULT_CLIENT.id,
    clientSecret: config.clioClientSecret ?? DEFAULT_CLIENT.secret,
    redirectUri: REDIRECT_URI,
  };
}

export async function clioConnection(
  config: Config,
  store: Store,
  box: SecretBox,
  clock: Clock,
): Promise<ClioConnection> {
  const stored = await loadConnection<ClioConnection>(store, box, "clio");
  if (stored && stored.baseUrl === config.clioBaseUrl) return stored;
  const app = clioApp(config);
  const params = await approveAtOnce(clioAuthorizeUrl(app, `lexbridge-${clock.now()}`));
  const tokens = await exchangeClioCode(fetchTransport(), app, clock, params.get("code")!);
  if (!tokens.ok) throw tokens.error;
  const connection = { baseUrl: config.clioBaseUrl, tokens: tokens.value };
  await saveConnection(store, box, "clio", connection, clock.now());
  return connection;
}

export async function refreshClio(config: Config, clock: Clock, refreshToken: string): Promise<TokenSet> {
  const r = await refreshClioToken(fetchTransport(), clioApp(config), clock, refreshToken);
  if (!r.ok) throw r.error;
  return r.value;
}

function plainTokens(t: TokenSet): TokenSet {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
  };
}
