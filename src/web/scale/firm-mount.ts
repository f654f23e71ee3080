import type { Hono } from "hono";
import { html } from "hono/html";
import type { WebSession } from "../../store/port.ts";
import type { WebEnv } from "../web-env.ts";

/** The prefix of a firm's pages in scale mode. */
export const firmPrefix = (firmId: string) => `/firms/${encodeURIComponent(firmId)}`;

/** Paths every page links to that are the installation's, not a firm's: they keep their place. */
const INSTALLATION_PATH = /^\/(?:assets\/|login\b|logout\b|firms\b)/;

/**
 * The firm's part of a path as its pages know it ("/status"), or undefined for any other path.
 */
export function pathInFirm(path: string, firmId: string): string | undefined {
  const prefix = firmPrefix(firmId);
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

/**
 * The pages of one firm (registerFirmPages) are written for a dashboard of one firm at the root:
 * their links, forms and redirects name "/status", "/audit.csv", …. In scale mode they are
 * served under /firms/<id>/, so the request reaches them without the prefix and their answer gets
 * it back: in its Location header and in the HTML's href/action/src attributes that start with
 * "/" (hono/html escapes every value it interpolates, so a quote in a record's text never opens
 * an attribute here). The installation's own paths (assets, login, logout, the firms list) stay.
 * This keeps the pages unchanged between the two modes.
 */
export async function serveFirmPage(
  firmApp: Hono<WebEnv>,
  request: Request,
  firmId: string,
  session: WebSession,
  sessions: WeakMap<Request, WebSession>,
  firmName: string,
): Promise<Response> {
  const url = new URL(request.url);
  url.pathname = pathInFirm(url.pathname, firmId) ?? "/";
  const inner = new Request(url, request);
  sessions.set(inner, session);
  const answer = await firmApp.fetch(inner);
  const prefix = firmPrefix(firmId);
  const headers = new Headers(answer.headers);
  const location = headers.get("location");
  if (location) headers.set("location", withPrefix(location, prefix));
  if (!(headers.get("content-type") ?? "").startsWith("text/html"))
    return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
  headers.delete("content-length");
  const text = (await answer.text()).replace(
    /(\s(?:href|action|src))="(\/[^"]*)"/g,
    (_all, attribute: string, path: string) => `${attribute}="${withPrefix(path, prefix)}"`,
  );
  // The navigation says whose pages these are, with the way back to the list of firms.
  const brand = "<ul><li><strong>lexbridge</strong></li></ul>";
  const withFirm = text.replace(
    brand,
    (
      await html`<ul><li><strong>lexbridge</strong></li><li><a href="/firms">Firms</a></li><li data-firm="${firmId}">${firmName}</li></ul>`
    ).toString(),
  );
  return new Response(withFirm, { status: answer.status, statusText: answer.statusText, headers });
}

function withPrefix(path: string, prefix: string): string {
  if (!path.startsWith("/") || path.startsWith("//") || INSTALLATION_PATH.test(path)) return path;
  return `${prefix}${path}`;
}
