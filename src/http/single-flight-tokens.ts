import type { Clock } from "../core/clock.ts";
import { isLexError, LexError } from "../core/errors.ts";
import type { TokenSource } from "./with-auth.ts";

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working; refreshed a minute before. */
  expiresAt?: number;
}

export interface SingleFlightTokenOptions {
  clock: Clock;
  initial: TokenSet;
  /** Exchanges a refresh token for a new set (the provider may rotate the refresh token). */
  refresh: (refreshToken: string) => Promise<TokenSet>;
  /** Persists a new set before it is used, so a rotated refresh token is never lost. */
  onTokens?: (tokens: TokenSet) => Promise<void> | void;
  /** Refresh this long before expiry. (Default: 60 s) */
  earlyMs?: number;
  /** Names the connection in the error a refused refresh becomes (what to reconnect). */
  name?: string;
  /** Put in the error's details as `connection`, so the caller knows which one to renew. */
  connection?: string;
}

/**
 * A TokenSource where concurrent callers that see an expired or refused token share one refresh:
 * the first starts it, the rest await the same promise. A token refused after a newer one was
 * obtained is answered with the newer one, without another refresh.
 */
export function singleFlightTokens(options: SingleFlightTokenOptions): TokenSource & { current(): TokenSet } {
  let tokens = options.initial;
  let inFlight: Promise<TokenSet> | undefined;
  const early = options.earlyMs ?? 60_000;

  const refreshOnce = (): Promise<TokenSet> => {
    inFlight ??= (async () => {
      try {
        const next = await options.refresh(tokens.refreshToken);
        await options.onTokens?.(next);
        tokens = next;
        return next;
      } catch (cause) {
        if (isLexError(cause) && cause.kind === "transient") throw cause;
        throw new LexError(
          "auth_refresh_failed",
          `The refresh token${options.name ? ` of ${options.name}` : ""} was not accepted: reconnect`,
          {
            cause,
            ...(isLexError(cause) && cause.providerCode ? { providerCode: cause.providerCode } : {}),
            ...(options.connection ? { details: { connection: options.connection } } : {}),
          },
        );
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    current: () => tokens,
    async accessToken() {
      if (inFlight) return (await inFlight).accessToken;
      if (tokens.expiresAt !== undefined && options.clock.now() >= tokens.expiresAt - early) {
        return (await refreshOnce()).accessToken;
      }
      return tokens.accessToken;
    },
    async refresh(rejected) {
      if (inFlight) return (await inFlight).accessToken;
      if (rejected !== tokens.accessToken) return tokens.accessToken;
      return (await refreshOnce()).accessToken;
    },
  };
}
