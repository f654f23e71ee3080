import { CLIO_HOSTS, type ClioRegion, clioRegionOfUrl } from "../clio/regions.ts";
import { type Config, type ConfigKey, envName, flagName } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import {
  INTUIT_OAUTH,
  QBO_API_HOSTS,
  QBO_WEB_HOSTS,
  type QboEnvironment,
  qboEnvironmentOfUrl,
} from "../qbo/hosts.ts";
import { oauthEndpointsAt, type QboOAuthEndpoints } from "../qbo/oauth.ts";

/**
 * Where each provider lives for a configuration. A real provider's host (Clio's four regions,
 * Intuit's production and sandbox) gets its documented endpoints and needs the app's own client
 * id and secret; any other host is an emulator that serves every path on one origin and accepts
 * placeholder credentials.
 */
export interface ClioProvider {
  kind: "clio" | "emulator";
  region: ClioRegion;
  /** API and OAuth origin (`/api/v4`, `/oauth/*`). */
  baseUrl: string;
  /** Where links to records in Clio's web app point. */
  webBase: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface QboProvider {
  kind: "intuit" | "emulator";
  environment: QboEnvironment;
  apiBase: string;
  webBase: string;
  /** The documented endpoints (Intuit's discovery document may replace them at connect time). */
  oauth: QboOAuthEndpoints;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** Emulators accept any credentials until an app is registered; these name lexbridge. */
export const EMULATOR_CLIENT = { id: "lexbridge", secret: "lexbridge-local" } as const;

export function redirectUriOf(config: Config): string {
  return config.redirectUri ?? `http://localhost:${config.port}/oauth/callback`;
}

function setting(key: ConfigKey): string {
  return `${key} (${flagName(key)} / ${envName(key)})`;
}

function configError(message: string, keys: ConfigKey[]): LexError {
  return new LexError("config_invalid", message, { details: { settings: keys } });
}

function credentials(
  config: Config,
  real: boolean,
  idKey: "clioClientId" | "qboClientId",
  secretKey: "clioClientSecret" | "qboClientSecret",
  label: string,
): { clientId: string; clientSecret: string } {
  const id = config[idKey];
  const secret = config[secretKey];
  if (id && secret) return { clientId: id, clientSecret: secret };
  if (!real) return { clientId: id ?? EMULATOR_CLIENT.id, clientSecret: secret ?? EMULATOR_CLIENT.secret };
  const missing = [idKey, secretKey].filter((k) => !config[k]);
  throw configError(
    `${label} needs the app's credentials: set ${missing.map(setting).join(" and ")} (docs/going-live.md)`,
    missing,
  );
}

export type ClioSite = Pick<ClioProvider, "kind" | "region" | "baseUrl" | "webBase">;
export type QboSite = Pick<QboProvider, "kind" | "environment" | "apiBase" | "webBase" | "oauth">;

/** Clio: the region from `clioRegion`, or from a Clio base URL; any other base URL is an emulator. */
export function clioSite(config: Config): ClioSite {
  const fromUrl = config.clioBaseUrl ? clioRegionOfUrl(config.clioBaseUrl) : undefined;
  if (fromUrl === "unknown")
    throw configError(
      `${config.clioBaseUrl} is not a Clio Manage host; use ${Object.values(CLIO_HOSTS).join(", ")} or set ${setting("clioRegion")}`,
      ["clioBaseUrl"],
    );
  if (fromUrl && config.clioRegion && fromUrl !== config.clioRegion)
    throw configError(
      `${setting("clioRegion")} is ${config.clioRegion} but ${setting("clioBaseUrl")} is in region ${fromUrl}; set only one`,
      ["clioRegion", "clioBaseUrl"],
    );
  const emulator = config.clioBaseUrl !== undefined && fromUrl === undefined;
  const region: ClioRegion = fromUrl ?? config.clioRegion ?? "us";
  const baseUrl = (emulator ? config.clioBaseUrl! : CLIO_HOSTS[region]).replace(/\/+$/, "");
  return { kind: emulator ? "emulator" : "clio", region, baseUrl, webBase: baseUrl };
}

/** The Clio site with the app's credentials, which a real region requires. */
export function clioProvider(config: Config): ClioProvider {
  const site = clioSite(config);
  const label = `Clio (region ${site.region})`;
  return {
    ...site,
    ...credentials(config, site.kind !== "emulator", "clioClientId", "clioClientSecret", label),
    redirectUri: redirectUriOf(config),
  };
}

/** QuickBooks: Intuit's host for `qboEnvironment`, or the one `qboBaseUrl` names; any other host is an emulator. */
export function qboSite(config: Config): QboSite {
  const fromUrl = config.qboBaseUrl ? qboEnvironmentOfUrl(config.qboBaseUrl) : undefined;
  if (fromUrl === "unknown")
    throw configError(
      `${config.qboBaseUrl} is not a QuickBooks Online API host; use ${Object.values(QBO_API_HOSTS).join(" or ")} or set ${setting("qboEnvironment")}`,
      ["qboBaseUrl"],
    );
  const emulator = config.qboBaseUrl !== undefined && fromUrl === undefined;
  const environment = fromUrl ?? config.qboEnvironment;
  const apiBase = (emulator ? config.qboBaseUrl! : QBO_API_HOSTS[environment]).replace(/\/+$/, "");
  return {
    kind: emulator ? "emulator" : "intuit",
    environment,
    apiBase,
    webBase: emulator ? apiBase : QBO_WEB_HOSTS[environment],
    oauth: emulator ? oauthEndpointsAt(apiBase) : INTUIT_OAUTH,
  };
}

/** The QuickBooks site with the app's credentials, which Intuit's hosts require. */
export function qboProvider(config: Config): QboProvider {
  const site = qboSite(config);
  const label = `QuickBooks (${site.environment})`;
  return {
    ...site,
    ...credentials(config, site.kind !== "emulator", "qboClientId", "qboClientSecret", label),
    redirectUri: redirectUriOf(config),
  };
}
