import { timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import type { WebEnv } from "./web-env.ts";

export interface MetricsRouteDeps {
  metrics: { text(): Promise<string>; contentType: string };
  /** With a token, /metrics answers any client that presents it as a bearer token. */
  token: string | undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * GET /metrics (Prometheus text format). Without `metricsToken` only a scraper on this machine
 * gets it: the socket's peer is loopback and no proxy forwarded the request (a reverse proxy on
 * the same machine connects from loopback too, but adds X-Forwarded-For or Forwarded). With
 * `metricsToken`, `Authorization: Bearer <token>` is required from anywhere, compared in constant time.
 */
export function registerMetricsRoute(app: Hono<WebEnv>, deps: MetricsRouteDeps): void {
  app.get("/metrics", async (c) => {
    if (deps.token !== undefined) {
      if (!bearerMatches(c.req.header("authorization"), deps.token))
        return c.text("A bearer token is required (metricsToken).", 401, { "WWW-Authenticate": "Bearer" });
    } else if (!isLocalRequest(c)) {
      return c.text(
        "/metrics answers only on this machine; set metricsToken to scrape it from elsewhere.",
        403,
      );
    }
    return c.body(await deps.metrics.text(), 200, { "Content-Type": deps.metrics.contentType });
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isLocalRequest(c: Context): boolean {
  const peer = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
  const proxied = c.req.header("x-forwarded-for") !== undefined || c.req.header("forwarded") !== undefined;
  return peer !== undefined && LOOPBACK.has(peer) && !proxied;
}
