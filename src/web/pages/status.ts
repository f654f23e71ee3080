import type { Hono } from "hono";
import { html } from "hono/html";
import type { LiveProgress } from "../../app/live-progress.ts";
import type { PassRunner } from "../../app/pass-runner.ts";
import { readStatusItems } from "../../app/sync-status-read.ts";
import { itemLabel, type StatusItem } from "../../app/sync-status-view.ts";
import type { Clock } from "../../core/clock.ts";
import type { Store, WebSession } from "../../store/port.ts";
import { awaitPass } from "../await-pass.ts";
import { csrfField, dateTime, notice, page } from "../layout.ts";
import { progressSection } from "../progress-section.ts";
import { type StatusSection, statusSections } from "../status-sections.ts";
import type { WebEnv } from "../web-env.ts";

export interface StatusDeps {
  store: Store;
  clock: Clock;
  runner: Pick<PassRunner, "runNow" | "status">;
  live?: LiveProgress;
}

function waitingList(s: StatusSection) {
  if (s.waiting === 0) return "";
  const kinds = Object.entries(s.waitingByEntity)
    .map(([kind, n]) => `${n} ${kind.replace("_", " ")}`)
    .join(", ");
  return html`<details>
    <summary>${s.waiting} item(s) wait on it (${kinds})</summary>
    <ul>${s.examples.map((e) => html`<li>#${e.id} ${itemLabel(e)}: ${e.message}</li>`)}</ul>
    ${s.waiting > s.examples.length ? html`<p><small><a href="/status?each=1">Every item</a></small></p>` : ""}
  </details>`;
}

function section(s: StatusSection, session: WebSession) {
  if (!s.item)
    return html`<article><header><strong>${s.label}</strong> has no item of its own</header>${waitingList(s)}</article>`;
  return item(s.item, session, waitingList(s));
}

function item(d: StatusItem, session: WebSession, waiting: ReturnType<typeof waitingList>) {
  return html`<article id="issue-${d.id}" data-code="${d.code}">
    <header>
      <strong>${itemLabel(d)}</strong> — ${d.title}
      <small>· <code>${d.code}</code>${d.providerCode ? html` · QuickBooks code ${d.providerCode}` : ""}</small>
    </header>
    <p>${d.message}</p>
    <p><small><strong>Fix:</strong> ${d.fix}</small></p>
    <p><small>Seen ${dateTime(d.firstSeen)} … ${dateTime(d.lastSeen)}, ${d.attempts} attempt(s)${d.retryRequested ? ", re-sync requested" : ""}
      ${d.links.clio ? html` · <a href="${d.links.clio}" rel="noreferrer">open in Clio</a>` : ""}
      ${d.links.qbo ? html` · <a href="${d.links.qbo}" rel="noreferrer">open in QuickBooks</a>` : ""}
      ${d.code === "sync_match_review" ? html` · <a href="/matches#match-${d.clioId}">review the match</a>` : ""}</small></p>
    ${waiting}
    <footer>
      <form method="post" action="/status/resync">
        ${csrfField(session)}
        <input type="hidden" name="id" value="${d.id}" />
        <button type="submit" class="secondary">Re-sync this item</button>
      </form>
    </footer>
  </article>`;
}

/** The client filter matches the client's name, or the item's own label, ignoring case. */
function matchesClient(d: StatusItem, client: string): boolean {
  const needle = client.trim().toLowerCase();
  return !needle || `${d.client ?? ""} ${itemLabel(d)}`.toLowerCase().includes(needle);
}

function filters(all: StatusItem[], code: string, entity: string, client: string) {
  const codes = [...new Set(all.map((d) => d.code))].sort();
  const entities = [...new Set(all.map((d) => d.entity))].sort();
  const option = (value: string, current: string) =>
    html`<option value="${value}" ${value === current ? "selected" : ""}>${value}</option>`;
  return html`<form method="get" action="/status" role="search">
    <select name="code" aria-label="Code"><option value="">every code</option>${codes.map((c) => option(c, code))}</select>
    <select name="entity" aria-label="Entity"><option value="">every kind</option>${entities.map((e) => option(e, entity))}</select>
    <input type="search" name="client" aria-label="Client" placeholder="client" value="${client}" />
    <button type="submit">Filter</button>
  </form>`;
}

function byCode(items: StatusItem[], session: WebSession) {
  const counts = new Map<string, { title: string; n: number }>();
  for (const d of items) counts.set(d.code, { title: d.title, n: (counts.get(d.code)?.n ?? 0) + 1 });
  return html`<table>
    <thead><tr><th>Code</th><th>What</th><th>Items</th><th></th></tr></thead>
    <tbody>${[...counts].map(
      ([code, { title, n }]) => html`<tr>
        <td><code>${code}</code></td><td>${title}</td><td>${n}</td>
        <td><form method="post" action="/status/resync-code">${csrfField(session)}
          <input type="hidden" name="code" value="${code}" />
          <button type="submit" class="outline">Re-sync all ${n}</button></form></td>
      </tr>`,
    )}</tbody>
  </table>`;
}

function passLine(status: ReturnType<PassRunner["status"]>) {
  if (status.running) return html`<p aria-busy="true">A sync pass is running…</p>`;
  return html`<p><small>Last pass ${dateTime(status.lastFinishedAt)}${
    status.lastError ? html` — <strong>failed: ${status.lastError}</strong>` : ""
  }</small></p>`;
}

const NOTICES: Record<string, (n: number) => string> = {
  item: (n) => (n ? "The item was re-synced." : "That item is no longer open."),
  code: (n) => `${n} item(s) re-synced.`,
  running: (n) =>
    `Re-sync of ${n} item(s) requested; the pass is still running. Reload this page in a moment.`,
};

function sectionsHeading(all: number, shown: number, each: boolean) {
  if (all === 0) return "";
  if (each || shown !== all)
    return html`<h2>Items (${shown})</h2><p><small><a href="/status">By root cause</a></small></p>`;
  return html`<h2>By root cause</h2><p><small>${all} open item(s). <a href="/status?each=1">Every item</a></small></p>`;
}

/** The Sync Status page and its re-sync actions (each runs a pass before answering). */
export function registerStatusPage(app: Hono<WebEnv>, deps: StatusDeps): void {
  app.get("/", (c) => c.redirect("/status", 302));

  app.get("/status", async (c) => {
    const session = c.get("session");
    const code = c.req.query("code") ?? "";
    const entity = c.req.query("entity") ?? "";
    const client = c.req.query("client") ?? "";
    const each = c.req.query("each") === "1";
    const all = await readStatusItems(deps.store);
    const shown = all.filter(
      (d) => (!code || d.code === code) && (!entity || d.entity === entity) && matchesClient(d, client),
    );
    const done = NOTICES[c.req.query("done") ?? ""];
    const body = html`${notice(done?.(Number(c.req.query("n") ?? 0)))}
      ${passLine(deps.runner.status())}
      ${deps.live ? progressSection(deps.live.view()) : ""}
      ${all.length === 0 ? html`<p>No open items: everything synced.</p>` : html`${filters(all, code, entity, client)}${byCode(shown, session)}`}
      ${sectionsHeading(all.length, shown.length, each)}
      ${statusSections(all, shown, each).map((s) => section(s, session))}`;
    return c.html(page({ title: "Sync Status", session, active: "/status", body }));
  });

  app.post("/status/resync", async (c) => {
    const form = await c.req.parseBody();
    const id = Number(form.id);
    const marked = Number.isSafeInteger(id) ? await deps.store.requestRetry({ id }) : 0;
    const finished = marked === 0 || (await awaitPass(deps.runner, deps.clock));
    return c.redirect(`/status?done=${finished ? "item" : "running"}&n=${marked}`, 303);
  });

  app.post("/status/resync-code", async (c) => {
    const form = await c.req.parseBody();
    const marked = await deps.store.requestRetry({ code: String(form.code ?? "") });
    const finished = marked === 0 || (await awaitPass(deps.runner, deps.clock));
    return c.redirect(`/status?done=${finished ? "code" : "running"}&n=${marked}`, 303);
  });
}
