import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClioRegion } from "../clio/regions.ts";
import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_FILE_MODE } from "../core/private-files.ts";
import { SecretBox } from "../core/secret-box.ts";
import { atStorageEdge } from "../core/system-errors.ts";
import type { QboEnvironment, QboOAuthEndpoints, QboTokenSet } from "../qbo/index.ts";
import type { Store } from "../store/port.ts";
import { runBootstrap } from "./connect-bootstrap.ts";
import { clioConnector, qboConnector } from "./connectors.ts";
import type { ClioProvider, QboProvider } from "./providers.ts";

/** What `lexbridge connect qbo` stores (sealed): the company, the tokens and where to refresh them. */
export interface QboConnection {
  provider: "qbo";
  /** The API host the tokens were issued for. */
  baseUrl: string;
  environment: QboEnvironment;
  realmId: string;
  companyName: string;
  oauth: QboOAuthEndpoints;
  tokens: QboTokenSet;
  connectedAt: number;
}

/** What `lexbridge connect clio` stores (sealed): the firm, the user and the tokens. */
export interface ClioConnection {
  provider: "clio";
  baseUrl: string;
  region: ClioRegion;
  firmName: string;
  userName: string;
  userEmail: string;
  tokens: QboTokenSet;
  connectedAt: number;
}

export type ProviderName = "qbo" | "clio";
type ConnectionOf<P extends ProviderName> = P extends "qbo" ? QboConnection : ClioConnection;

const kvKey = (name: ProviderName) => `connection:${name}`;

/**
 * The installation key that seals tokens at rest: from the environment, or a file made once in
 * the data dir. A scale-mode firm's key must be the environment's: every machine running workers
 * opens the same firms' connections, and one machine's key file does not reach the others.
 */
export function secretBoxFor(config: Config, env = process.env): SecretBox {
  if (env.LEXBRIDGE_SECRET_KEY) return new SecretBox(env.LEXBRIDGE_SECRET_KEY);
  if (config.databaseUrl && config.firm)
    throw new LexError(
      "installation_key_missing",
      "LEXBRIDGE_SECRET_KEY is not set: scale mode's firms are sealed with the installation key from the environment",
    );
  const path = join(config.dataDir, "secret.key");
  return atStorageEdge(path, () => {
    ensurePrivateDir(config.dataDir);
    if (existsSync(path)) ensurePrivateFile(path, { create: false });
    else writeFileSync(path, SecretBox.generateKey(), { mode: PRIVATE_FILE_MODE });
    return new SecretBox(readFileSync(path, "utf8").trim());
  });
}

export async function saveConnection<P extends ProviderName>(
  store: Store,
  box: SecretBox,
  name: P,
  value: ConnectionOf<P>,
  at: number,
): Promise<void> {
  await store.commit({ kv: { [kvKey(name)]: box.seal(JSON.stringify(value)) } }, at);
}

/**
 * Keeps the tokens an engine refreshed, unless the connection it refreshed them for is no longer
 * the stored one: forgotten (disconnected from the dashboard while a pass ran) or replaced (connected
 * again, perhaps to another company) — `connectedAt` tells them apart. Without this check, a pass
 * still running on the old connection would bring it back.
 */
export async function saveRefreshedTokens<P extends ProviderName>(
  store: Store,
  box: SecretBox,
  name: P,
  refreshed: ConnectionOf<P>,
  at: number,
): Promise<boolean> {
  const stored = await loadConnection(store, box, name);
  if (stored?.connectedAt !== refreshed.connectedAt) return false;
  await saveConnection(store, box, name, refreshed, at);
  return true;
}

export async function loadConnection<P extends ProviderName>(
  store: Store,
  box: SecretBox,
  name: P,
): Promise<ConnectionOf<P> | undefined> {
  const sealed = await store.getKv(kvKey(name));
  return sealed ? (JSON.parse(box.open(sealed)) as ConnectionOf<P>) : undefined;
}

export async function forgetConnection(store: Store, name: ProviderName, at: number): Promise<void> {
  await store.commit({ kvDelete: [kvKey(name)] }, at);
}

/** Why a stored connection does not serve the configured provider, or `undefined` when it does. */
export function qboMismatch(
  stored: QboConnection,
  provider: Pick<QboProvider, "apiBase">,
  config: Config,
): string | undefined {
  if (stored.baseUrl !== provider.apiBase)
    return `it was made for ${stored.baseUrl}, the configuration names ${provider.apiBase}`;
  if (config.qboRealmId && stored.realmId !== config.qboRealmId)
    return `it is for company ${stored.realmId}, the configuration names ${config.qboRealmId}`;
  return undefined;
}

export function clioMismatch(
  stored: ClioConnection,
  provider: Pick<ClioProvider, "baseUrl">,
): string | undefined {
  return stored.baseUrl === provider.baseUrl
    ? undefined
    : `it was made for ${stored.baseUrl}, the configuration names ${provider.baseUrl}`;
}

function notConnected(name: ProviderName, why: string): LexError {
  const label = name === "qbo" ? "QuickBooks Online" : "Clio Manage";
  return new LexError(
    "auth_not_connected",
    `${label} is not connected (${why}): run \`lexbridge connect ${name}\``,
  );
}

/**
 * The QBO connection the engine uses: the stored one when it serves the configured host and
 * company. An emulator that approves at once is connected on the spot (the demo, tests); a real
 * provider needs a person: `lexbridge connect qbo`.
 */
export async function requireQboConnection(
  config: Config,
  provider: QboProvider,
  store: Store,
  box: SecretBox,
  clock: Clock,
): Promise<QboConnection> {
  const stored = await loadConnection(store, box, "qbo");
  const mismatch = stored ? qboMismatch(stored, provider, config) : "no tokens are stored";
  if (stored && !mismatch) return stored;
  if (provider.kind !== "emulator") throw notConnected("qbo", mismatch!);
  const connection = await runBootstrap(qboConnector(provider, clock, provider.oauth), clock);
  await saveConnection(store, box, "qbo", connection, clock.now());
  return connection;
}

export async function requireClioConnection(
  provider: ClioProvider,
  store: Store,
  box: SecretBox,
  clock: Clock,
): Promise<ClioConnection> {
  const stored = await loadConnection(store, box, "clio");
  const mismatch = stored ? clioMismatch(stored, provider) : "no tokens are stored";
  if (stored && !mismatch) return stored;
  if (provider.kind !== "emulator") throw notConnected("clio", mismatch!);
  const connection = await runBootstrap(clioConnector(provider, clock), clock);
  await saveConnection(store, box, "clio", connection, clock.now());
  return connection;
}
