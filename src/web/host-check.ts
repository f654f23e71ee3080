import type { MiddlewareHandler } from "hono";

/** The names a browser uses for this machine when serve listens on a loopback address. */
export const LOOPBACK_HOSTNAMES = ["127.0.0.1", "localhost", "[::1]"];

/**
 * The Host names serve answers on loopback: this machine's, and publicUrl's when set (a reverse
 * proxy on this machine that keeps the Host header reaches serve by that name, and no other site
 * can make a browser send it).
 */
export function servedHostnames(publicUrl: string | undefined): string[] {
  return publicUrl ? [...LOOPBACK_HOSTNAMES, new URL(publicUrl).hostname] : LOOPBACK_HOSTNAMES;
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1";
}

/**
 * DNS rebinding: a page on another site can point its own name at 127.0.0.1 and then talk to the
 * dashboard as "its" origin (the Origin check passes: Host and Origin both name that site). Serving
 * only the Host names of this machine shuts that door while serve listens on loopback.
 */
export function requireHost(hostnames: string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!hostnames.includes(new URL(c.req.url).hostname))
      return c.text("Misdirected request: this server answers to its own address only.", 421);
    return next();
  };
}
