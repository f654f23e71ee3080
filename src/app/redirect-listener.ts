import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { html } from "hono/html";
import { LexError } from "../core/errors.ts";

/** What the browser is shown once the redirect was handled. */
export interface RedirectOutcome {
  ok: boolean;
  message: string;
}

export interface RedirectListener {
  /** The address actually listened on, e.g. `http://127.0.0.1:4000/oauth/callback`. */
  address: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Where to listen for a redirect URI: its own host and port when it points at this machine
 * (`http://localhost:4000/…`); otherwise (an https address in front of a reverse proxy) the
 * loopback interface on `fallbackPort`, where the proxy forwards to.
 */
export function listenTarget(
  redirectUri: string,
  fallbackPort: number,
): { host: string; port: number; path: string } {
  const url = new URL(redirectUri);
  const path = url.pathname || "/";
  if (LOOPBACK.has(url.hostname) && url.protocol === "http:") {
    const port = url.port ? Number(url.port) : 80;
    const host = url.hostname === "localhost" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, "");
    return { host, port, path };
  }
  return { host: "127.0.0.1", port: fallbackPort, path };
}

function page(outcome: RedirectOutcome) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lexbridge</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>${outcome.ok ? "Connected" : "Not connected"}</h1>
<p>${outcome.message}</p>
<p>You can close this window and return to the terminal.</p>
</body></html>`;
}

/**
 * Serves the redirect URI's path until closed: each GET there is handed to `onRedirect`, whose
 * outcome the browser shows. Everything else is 404. Binds to loopback only.
 */
export async function listenForRedirect(
  redirectUri: string,
  fallbackPort: number,
  onRedirect: (query: URLSearchParams) => Promise<RedirectOutcome>,
): Promise<RedirectListener> {
  const target = listenTarget(redirectUri, fallbackPort);
  const app = new Hono();
  app.get(target.path, async (c) => {
    const outcome = await onRedirect(new URL(c.req.url).searchParams);
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(page(outcome), outcome.ok ? 200 : 400);
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: target.port, hostname: target.host }) as Server;
    s.once("listening", () => resolve(s));
    s.once("error", (cause: NodeJS.ErrnoException) =>
      reject(
        new LexError(
          "oauth_callback_unavailable",
          `Cannot listen on ${target.host}:${target.port} for the redirect URI ${redirectUri} (${cause.code ?? cause.message})`,
          { cause },
        ),
      ),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return {
    address: `http://${host}:${port}${target.path}`,
    // Lets the answer in flight reach the browser, then drops idle keep-alive connections; a
    // client that holds one open longer is cut after a second.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
