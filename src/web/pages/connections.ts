import type { Hono } from "hono";
import { html } from "hono/html";
import type { ConnectionState } from "../../app/connection-states.ts";
import type { PassRunner } from "../../app/pass-runner.ts";
import { dateTime, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

/** What serve has of each provider's webhooks, for the Connections page. */
export interface WebhookStatus {
  /** Clio: undefined without publicUrl; else the subscriptions (empty until the first pass made them). */
  clio?: Array<{ model: string; status: string; expiresAt: number }>;
  /** QBO: the address to register in the Intuit developer portal, when a verifier token is set. */
  qboEndpoint?: string;
}

export interface ConnectionsDeps {
  connectionStates(): Promise<ConnectionState[]>;
  runner: Pick<PassRunner, "status">;
  webhookStatus?(): WebhookStatus;
}

const STATE_TEXT: Record<ConnectionState["state"], string> = {
  connected: "Connected",
  not_connected: "Not connected",
  mismatch: "Connected elsewhere",
};

function webhookRow(s: ConnectionState, w: WebhookStatus) {
  if (s.provider === "qbo") {
    const text = w.qboEndpoint
      ? html`on: the Intuit developer portal's endpoint must be <code>${w.qboEndpoint}</code>`
      : "off (set qboWebhookVerifierToken)";
    return html`<tr><th scope="row">Webhooks</th><td>${text}</td></tr>`;
  }
  const subs = w.clio;
  const text =
    subs === undefined
      ? "off (set publicUrl)"
      : subs.length === 0
        ? "made at the next pass"
        : subs.map((sub) => html`${sub.model}: ${sub.status} until ${dateTime(sub.expiresAt)}<br>`);
  return html`<tr><th scope="row">Webhooks</th><td>${text}</td></tr>`;
}

function card(s: ConnectionState, w: WebhookStatus) {
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
        ${webhookRow(s, w)}
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
    const hooks = deps.webhookStatus?.() ?? {};
    const body = html`<div class="grid">${states.map((s) => card(s, hooks))}</div>
      <p><small>Last pass ${dateTime(run.lastFinishedAt)}${run.running ? " (a pass is running)" : ""}${
        run.lastError ? html` — failed: ${run.lastError}` : ""
      }</small></p>`;
    return c.html(page({ title: "Connections", session: c.get("session"), active: "/connections", body }));
  });
}
