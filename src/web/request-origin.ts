import type { Context } from "hono";

/**
 * Where the browser thinks it is. Behind a reverse proxy that ends TLS, the request reaches
 * lexbridge as plain http; X-Forwarded-Proto says otherwise, but any client can send that header,
 * so it counts only when the `trustProxy` setting says a proxy sets it.
 */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && forwardedProto(c) === "https";
}

/** The origin a same-origin form posts from (for the Origin check of hono/csrf). */
export function publicOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const proto = trustProxy ? forwardedProto(c) : undefined;
  return proto ? `${proto}://${url.host}` : url.origin;
}

/** The client's address for rate limiting: the socket's, or the proxy's last forwarded hop. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim() : undefined;
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket?.remoteAddress;
  return forwarded || socket || "unknown";
}

function forwardedProto(c: Context): string | undefined {
  return c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
}
