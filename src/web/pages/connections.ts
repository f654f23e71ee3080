import type { Hono } from "hono";
import { html } from "hono/html";
import { count } from "../../app/bookkeeping-words.ts";
import type { ConnectionState } from "../../app/connection-states.ts";
import type { LiveProgress } from "../../app/live-progress.ts";
import type { PassRunner } from "../../app/pass-runner.ts";
import type { LaneHeadroom } from "../../http/rate-limiter.ts";
import type { WebSession } from "../../store/port.ts";
import { csrfField, dateTime, notice, page } from "../layout.ts";
import { progressSection } from "../progress-section.ts";
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
  /** Set when serve can connect from the dashboard (else the page points to the CLI). */
  connect?: unknown;
  live?: LiveProgress;
  /** Each provider's rate budget lanes as the engine's limiters hold them now. */
  rateHeadroom?(): Partial<Record<ConnectionState["provider"], LaneHeadroom[]>>;
}

const LANE_WORDS: Record<string, string> = {
  default: "requests",
  batch: "batch calls",
  second: "requests",
  single: "single writes",
};

/** "47 of 50 requests free now (50 a minute)": what may go at once, and how fast it comes back. */
function headroomRow(lanes: LaneHeadroom[] | undefined) {
  const text =
    lanes === undefined
      ? "—"
      : lanes.length === 0
        ? "all free (no request since serve started)"
        : lanes.map((l) => {
            const rate =
              l.lane === "second" ? `${count(l.perMinute / 60)} a second` : `${count(l.perMinute)} a minute`;
            return html`${count(l.available)} of ${count(l.capacity)} ${LANE_WORDS[l.lane] ?? l.lane} free now (${rate})<br>`;
          });
  return html`<tr><th scope="row">Rate budget</th><td>${text}</td></tr>`;
}

const BUTTON_NAME: Record<ConnectionState["provider"], string> = { clio: "Clio", qbo: "QuickBooks" };

/** Connect (a link: see connect.ts) or disconnect (a form: revoke then forget, or forget only). */
function actions(s: ConnectionState, session: WebSession, canConnect: boolean) {
  if (!canConnect)
    return s.state === "connected"
      ? ""
      : html`<p>To connect: stop <code>lexbridge serve</code>, run <code>lexbridge connect ${s.provider}</code>, start serve again.</p>`;
  const connect = html`<a role="button" href="/connections/${s.provider}/connect">${
    s.state === "connected" ? "Connect again" : `Connect ${BUTTON_NAME[s.provider]}`
  }</a>`;
  if (s.state === "not_connected") return html`<footer>${connect}</footer>`;
  return html`<footer>
    <form method="post" action="/connections/${s.provider}/disconnect">
      ${csrfField(session)}
      <label><input type="checkbox" name="forget_only" /> Forget only (do not ask ${s.label} to revoke the tokens: it cannot be reached)</label>
      <button type="submit" class="secondary">Disconnect ${BUTTON_NAME[s.provider]}</button>
    </form>
    ${connect}
  </footer>`;
}

const NOTICES: Record<string, (label: string) => string> = {
  connected: (label) => `Connected to ${label}. The first pass with it has started (progress below).`,
  disconnected: (label) => `Disconnected from ${label}: its tokens are revoked and forgotten.`,
};

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

/** The last pass that read each stream to its end: what is older than the interval did not sync. */
function lastReadsRow(s: ConnectionState) {
  if (s.lastReads.length === 0) return "";
  const lines = s.lastReads.map(
    (r) => html`${r.label}: ${r.at === undefined ? "never read" : dateTime(r.at)}<br>`,
  );
  return html`<tr><th scope="row">Last complete read</th><td>${lines}</td></tr>`;
}

function card(
  s: ConnectionState,
  w: WebhookStatus,
  session: WebSession,
  canConnect: boolean,
  headroom: LaneHeadroom[] | undefined,
) {
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
        ${s.state === "connected" ? headroomRow(headroom) : ""}
        ${lastReadsRow(s)}
      </tbody>
    </table>
    ${s.problem ? html`<p><strong>The stored tokens do not fit the configuration:</strong> ${s.problem}.</p>` : ""}
    ${s.warnings.map((w) => html`<p role="alert"><strong>${w.message}.</strong> ${w.fix}</p>`)}
    ${actions(s, session, canConnect)}
  </article>`;
}

/** Each provider's connection state, with Connect and Disconnect when serve offers them. */
export function registerConnectionsPage(app: Hono<WebEnv>, deps: ConnectionsDeps): void {
  app.get("/connections", async (c) => {
    const states = await deps.connectionStates();
    const run = deps.runner.status();
    const hooks = deps.webhookStatus?.() ?? {};
    const headroom = deps.rateHeadroom?.();
    const session = c.get("session");
    const done = Object.entries(NOTICES).find(([key]) => c.req.query(key) !== undefined);
    const label = states.find((s) => s.provider === c.req.query(done?.[0] ?? ""))?.label;
    const body = html`${notice(done && label ? done[1](label) : undefined)}
      ${deps.live ? progressSection(deps.live.view()) : ""}
      <div class="grid">${states.map((s) => card(s, hooks, session, Boolean(deps.connect), headroom?.[s.provider]))}</div>
      <p><small>Last pass ${dateTime(run.lastFinishedAt)}${run.running ? " (a pass is running)" : ""}${
        run.lastError ? html` — failed: ${run.lastError}` : ""
      }</small></p>`;
    return c.html(page({ title: "Connections", session, active: "/connections", body }));
  });
}
