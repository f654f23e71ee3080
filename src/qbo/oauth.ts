/**
 * QBO OAuth 2.0 (reference §2): the authorize URL, code exchange, refresh (the refresh token may
 * rotate: every new set goes to `onTokens` before it is used), revoke. Endpoints default to
 * Intuit's (hosts.ts) and can point at the emulator (one origin for all three).
 */
import type { Clock } from "../core/clock.ts";
import { oauthTokenError } from "../http/oauth-token-error.ts";
import type { TokenSet } from "../http/single-flight-tokens.ts";
import { fetchTransport } from "../http/transport.ts";
import { INTUIT_OAUTH } from "./hosts.ts";

export interface QboOAuthEndpoints {
  authorize: string;
  token: string;
  revoke: string;
}

/** The emulator serves all three on its own origin. */
export function oauthEndpointsAt(origin: string): QboOAuthEndpoints {
  const o = origin.replace(/\/$/, "");
  return {
    authorize: `${o}/connect/oauth2`,
    token: `${o}/oauth2/v1/tokens/bearer`,
    revoke: `${o}/v2/oauth2/tokens/revoke`,
  };
}

export interface QboOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  endpoints?: QboOAuthEndpoints;
  fetch?: typeof fetch;
  clock: Clock;
  /** Called with every new token set before it is returned (persist rotated refresh tokens). */
  onTokens?: (tokens: TokenSet) => Promise<void> | void;
}

export interface QboTokenSet extends TokenSet {
  /** When the refresh token stops working unless used (x_refresh_token_expires_in, about 100 days). */
  refreshExpiresAt?: number;
}

export class QboOAuth {
  readonly #o: QboOAuthOptions;
  readonly #endpoints: QboOAuthEndpoints;

  constructor(options: QboOAuthOptions) {
    this.#o = options;
    this.#endpoints = options.endpoints ?? INTUIT_OAUTH;
  }

  authorizeUrl(state: string, scopes: string[] = ["com.intuit.quickbooks.accounting"]): string {
    const u = new URL(this.#endpoints.authorize);
    u.searchParams.set("client_id", this.#o.clientId);
    u.searchParams.set("response_type", "code");
    u.searchParams.set("scope", scopes.join(" "));
    u.searchParams.set("redirect_uri", this.#o.redirectUri);
    u.searchParams.set("state", state);
    return u.toString();
  }

  #basic(): string {
    return `Basic ${Buffer.from(`${this.#o.clientId}:${this.#o.clientSecret}`).toString("base64")}`;
  }

  async #tokenCall(form: Record<string, string>): Promise<QboTokenSet> {
    const res = await fetchTransport(this.#o.fetch)({
      url: this.#endpoints.token,
      method: "POST",
      headers: {
        Authorization: this.#basic(),
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    if (!res.ok) throw oauthTokenError("qbo", form.grant_type ?? "", res.status, body);
    const now = this.#o.clock.now();
    const tokens: QboTokenSet = {
      accessToken: String(body.access_token),
      refreshToken: String(body.refresh_token),
      expiresAt: now + Number(body.expires_in ?? 3600) * 1000,
      ...(body.x_refresh_token_expires_in
        ? { refreshExpiresAt: now + Number(body.x_refresh_token_expires_in) * 1000 }
        : {}),
    };
    await this.#o.onTokens?.(tokens);
    return tokens;
  }

  /** Exchanges the code from the redirect (which also carries `realmId`: keep it). */
  exchangeCode(code: string): Promise<QboTokenSet> {
    return this.#tokenCall({ grant_type: "authorization_code", code, redirect_uri: this.#o.redirectUri });
  }

  refresh(refreshToken: string): Promise<QboTokenSet> {
    return this.#tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken });
  }

  async revoke(token: string): Promise<void> {
    const res = await fetchTransport(this.#o.fetch)({
      url: this.#endpoints.revoke,
      method: "POST",
      headers: {
        Authorization: this.#basic(),
        Accept: "application/json",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ token }),
    });
    const text = await res.text();
    if (res.ok) return;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    if (res.status === 400 && body.error === "invalid_token") return; // already revoked: the goal holds
    throw oauthTokenError("qbo", "revoke", res.status, body);
  }
}
