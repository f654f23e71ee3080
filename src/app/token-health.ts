import type { ClioConnection, QboConnection } from "./connections.ts";

/** Warn this long before a refresh token stops working (the issue of going-live: 14 days). */
export const REFRESH_WARNING_MS = 14 * 24 * 3600 * 1000;

export interface TokenWarning {
  provider: "qbo" | "clio";
  status: "warn" | "fail";
  message: string;
  fix: string;
}

const DAY = 24 * 3600 * 1000;

/**
 * What a person must do about the stored connections, and by when. QuickBooks refresh tokens
 * expire about 100 days after they were last renewed (x_refresh_token_expires_in, qbo-api.md
 * §2.3) — each pass renews them, so this only comes close when lexbridge has not run for months.
 * Clio's refresh tokens do not expire (clio-api.md §1.3).
 */
export function tokenHealth(
  connections: { qbo?: QboConnection | undefined; clio?: ClioConnection | undefined },
  now: number,
): TokenWarning[] {
  const out: TokenWarning[] = [];
  const qbo = connections.qbo;
  const expires = qbo?.tokens.refreshExpiresAt;
  if (qbo && expires !== undefined && expires - now <= REFRESH_WARNING_MS) {
    const when = new Date(expires).toISOString().slice(0, 10);
    const days = Math.ceil((expires - now) / DAY);
    out.push({
      provider: "qbo",
      status: expires <= now ? "fail" : "warn",
      message:
        expires <= now
          ? `The QuickBooks refresh token of "${qbo.companyName}" expired on ${when}`
          : `The QuickBooks refresh token of "${qbo.companyName}" expires on ${when} (in ${days} day${days === 1 ? "" : "s"})`,
      fix:
        expires <= now
          ? "Reconnect: `lexbridge connect qbo`."
          : "Run a sync before then (each pass renews it), or reconnect with `lexbridge connect qbo`.",
    });
  }
  return out;
}
