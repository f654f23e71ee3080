import type { Hono } from "hono";
import { html } from "hono/html";
import type { ConnectionState } from "../../app/connection-states.ts";
import type { PassRunner } from "../../app/pass-runner.ts";
import { dateTime, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

export interface ConnectionsDeps {
  connectionStates(): Promise<ConnectionState[]>;
  runner: Pick<PassRunner, "status">;
}

const STATE_TEXT: Record<ConnectionState["state"], string> = {
  connected: "Connected",
  not_connected: "Not connected",
  mismatch: "Connected elsewhere",
};

function card(s: ConnectionState) {
  return html`<article id="connection-${s.provider}">
    <header><strong>${s.label}</strong> — <mark>${STATE_TEXT[s.state]}</mark></header>
    <table>
      <tbody>
        <tr><th scope="row">${s.provider === "qbo" ? "Company" : "Firm"}</th><td>${s.name ?? "—"}</td></tr>
        <tr><th scope="row">${s.provider === "qbo" ? "Company id" : "User"}</th><td>${s.detail ?? "—"}</td></tr>
        <tr><th scope="row">API</th><td><code>${s.apiBase}</code></td></tr>
        <tr><th scope="row">Connected</th><td>${dateTime(s.connectedAt)}</td></tr>
        <tr><th scope="row">Access token until</th><td>${dateTime(s.accessExpiresAt)}</td></tr>
        ${s.provider === "qbo" ? html`<tr><th scope="row">Refresh token until</th><td>${dateTime(s.refreshExpiresAt)}</td></tr>` : ""}
      </tbody>
    </table>
    ${s.problem ? html`<p><strong>The stored tokens do not fit the configuration:</strong> ${s.problem}.</p>` : ""}
    ${s.warnings.map((w) => html`<p role="alert"><strong>${w.message}.</strong> ${w.fix}</p>`)}
    ${s.state === "connected" ? "" : html`<p>To connect: stop <code>lexbridge serve</code>, run <code>lexbridge connect ${s.provider}</code>, start serve again.</p>`}
  </article>`;
}

/** Each provider's connection state (connecting from the dashboard comes with the OAuth flow). */
export function registerConnectionsPage(app: Hono<WebEnv>, deps: ConnectionsDeps): void {
  app.get("/connections", async (c) => {
    const states = await deps.connectionStates();
    const run = deps.runner.status();
    const body = html`<div class="grid">${states.map(card)}</div>
      <p><small>Last pass ${dateTime(run.lastFinishedAt)}${run.running ? " (a pass is running)" : ""}${
        run.lastError ? html` — failed: ${run.lastError}` : ""
      }</small></p>`;
    return c.html(page({ title: "Connections", session: c.get("session"), active: "/connections", body }));
  });
}
