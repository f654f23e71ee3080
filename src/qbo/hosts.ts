/**
 * Intuit's hosts (qbo-api.md §1.1). The API host depends on the environment (production or
 * sandbox, i.e. which keys issued the token); the OAuth endpoints are the same for both and are
 * published in Intuit's OpenID discovery document, whose values win over the constants here.
 */
import { z } from "zod";
import type { QboOAuthEndpoints } from "./oauth.ts";

export type QboEnvironment = "production" | "sandbox";

export const QBO_API_HOSTS: Record<QboEnvironment, string> = {
  production: "https://quickbooks.api.intuit.com",
  sandbox: "https://sandbox-quickbooks.api.intuit.com",
};

/**
 * Deep links into QBO's web app, per environment: the app's own hosts (the bare qbo.intuit.com
 * names redirect here), so a link opens without a detour.
 */
export const QBO_WEB_HOSTS: Record<QboEnvironment, string> = {
  production: "https://app.qbo.intuit.com",
  sandbox: "https://app.sandbox.qbo.intuit.com",
};

/** The documented constants, used when the discovery document cannot be read. */
export const INTUIT_OAUTH: QboOAuthEndpoints = {
  authorize: "https://appcenter.intuit.com/connect/oauth2",
  token: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
  revoke: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
};

export const INTUIT_DISCOVERY: Record<QboEnvironment, string> = {
  production: "https://developer.api.intuit.com/.well-known/openid_configuration",
  sandbox: "https://developer.api.intuit.com/.well-known/openid_sandbox_configuration",
};

/** The environment of one of Intuit's API hosts; `undefined` for any other host (an emulator). */
export function qboEnvironmentOfUrl(url: string): QboEnvironment | "unknown" | undefined {
  const host = new URL(url).hostname.toLowerCase();
  for (const env of ["production", "sandbox"] as const) {
    if (new URL(QBO_API_HOSTS[env]).hostname === host) return env;
  }
  return host === "intuit.com" || host.endsWith(".intuit.com") ? "unknown" : undefined;
}

const DiscoveryDocument = z.object({
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  revocation_endpoint: z.url(),
});

/** Only an https address on one of Intuit's domains is trusted from the discovery document. */
function isIntuitHttps(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "https:" && (u.hostname === "intuit.com" || u.hostname.endsWith(".intuit.com"));
}

export interface DiscoveredEndpoints {
  endpoints: QboOAuthEndpoints;
  source: "discovery" | "documented";
}

/**
 * Reads Intuit's discovery document; on any failure (no network, a changed shape, a non-Intuit
 * address) the documented constants are used, so connecting never depends on it.
 */
export async function discoverIntuitOAuth(
  environment: QboEnvironment,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 5_000,
): Promise<DiscoveredEndpoints> {
  try {
    const response = await fetchImpl(INTUIT_DISCOVERY[environment], {
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const doc = DiscoveryDocument.parse(await response.json());
    const endpoints = {
      authorize: doc.authorization_endpoint,
      token: doc.token_endpoint,
      revoke: doc.revocation_endpoint,
    };
    if (!Object.values(endpoints).every(isIntuitHttps)) throw new Error("not an Intuit address");
    return { endpoints, source: "discovery" };
  } catch {
    return { endpoints: INTUIT_OAUTH, source: "documented" };
  }
}
