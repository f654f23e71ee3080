import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { WebSession } from "../store/port.ts";
import { CSRF_FIELD } from "./csrf-token.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  { path: "/status", label: "Sync Status" },
  { path: "/matches", label: "Match review" },
  { path: "/reconciliation", label: "Reconciliation" },
  { path: "/audit", label: "Audit log" },
  { path: "/connections", label: "Connections" },
  { path: "/settings", label: "Settings" },
] as const;

/** The hidden field that carries the session's CSRF token in every state-changing form. */
export const csrfField = (session: WebSession) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrfToken}" />`;

/**
 * Every page: Pico CSS (served from node_modules, no build step), the navigation and a logout
 * button for a logged-in user. `hono/html` escapes every interpolated value.
 */
export function page(options: {
  title: string;
  session?: WebSession;
  active?: string;
  body: Html;
  /** The links of the navigation: a firm's pages unless given (scale mode's list of firms). */
  nav?: ReadonlyArray<{ path: string; label: string }>;
}): Html {
  const { title, session, active, body, nav = NAV } = options;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${title} · lexbridge</title>
    <link rel="stylesheet" href="/assets/pico.min.css" />
  </head>
  <body>
    <header class="container">
      <nav>
        <ul><li><strong>lexbridge</strong></li></ul>
        ${
          session
            ? html`<ul>
          ${nav.map(
            (n) =>
              html`<li><a href="${n.path}" ${n.path === active ? html`aria-current="page"` : ""}>${n.label}</a></li>`,
          )}
          <li>
            <form method="post" action="/logout">
              ${csrfField(session)}
              <button type="submit" class="secondary outline">Log out</button>
            </form>
          </li>
        </ul>`
            : ""
        }
      </nav>
    </header>
    <main class="container">
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}

/** A short message above a page's content, e.g. after a re-sync (role=status for screen readers). */
export const notice = (text: string | undefined) =>
  text ? html`<article role="status"><p>${text}</p></article>` : "";

export const dateTime = (epochMs: number | undefined) =>
  epochMs === undefined ? "—" : new Date(epochMs).toISOString().replace("T", " ").slice(0, 16) + " UTC";
