import type { Hono } from "hono";
import { html } from "hono/html";
import { RecordFactsReader } from "../../app/record-facts.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import {
  type ClientReconciliation,
  type Comparison,
  type ReconcileItem,
  type ReconcileReport,
  readLastReconcileReport,
  reconcileCsv,
} from "../../engine/reconcile.ts";
import type { Store, WebSession } from "../../store/port.ts";
import { awaitWork } from "../await-pass.ts";
import { csrfField, notice, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

export interface ReconciliationDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /**
   * Runs a full reconciliation between passes (never during one) and keeps its report; absent
   * where nothing can run it (tests of other pages).
   */
  reconcileNow?(): Promise<unknown>;
}

/** The report with each client's name from the mirrored Clio contacts, where the report lacks it. */
async function withNames(store: Store, report: ReconcileReport): Promise<ReconcileReport> {
  const facts = new RecordFactsReader(store);
  const clients: ClientReconciliation[] = [];
  for (const c of report.clients) {
    const name = (await facts.clientName(c.clientId)) ?? c.name;
    clients.push(name ? { ...c, name } : c);
  }
  return { ...report, clients };
}

const agrees = (c: Comparison) => Number(c.difference) === 0;

function amounts(c: Comparison) {
  return html`<td>${c.clio}</td><td>${c.qbo}</td><td>${agrees(c) ? "0.00" : html`<strong>${c.difference}</strong>`}</td>`;
}

function totals(report: ReconcileReport) {
  const t = report.totals;
  const row = (label: string, c: Comparison) => html`<tr><th scope="row">${label}</th>${amounts(c)}</tr>`;
  return html`<table>
    <thead><tr><th></th><th>Clio</th><th>QuickBooks</th><th>Difference</th></tr></thead>
    <tbody>
      ${row("Receivables", t.receivables)}${row("Invoices", t.invoices)}${row("Payments", t.payments)}${row("Trust", t.trust)}
    </tbody>
  </table>`;
}

function trustAccounts(report: ReconcileReport) {
  if (report.trustAccounts.length === 0) return "";
  return html`<h2>Trust accounts</h2>
    <table>
      <thead><tr><th>Account</th><th>Clio balance</th><th>Sum of client ledgers</th><th>QuickBooks bank</th><th>QuickBooks liability</th></tr></thead>
      <tbody>${report.trustAccounts.map(
        (a) => html`<tr><th scope="row">${a.name} <small>(Clio ${a.clioAccountId})</small></th>
          <td>${a.clioBalance}</td><td>${a.clioClientSum}</td>
          <td>${a.qboBankBalance ?? "not mapped"}</td><td>${a.qboLiabilityBalance ?? "not mapped"}</td></tr>`,
      )}</tbody>
    </table>`;
}

function differences(items: ReconcileItem[]) {
  if (items.length === 0) return "";
  return html`<table class="striped">
    <thead><tr><th>Area</th><th>Clio record</th><th>QuickBooks record</th><th>Clio</th><th>QuickBooks</th><th>Difference</th><th>Why</th></tr></thead>
    <tbody>${items.map(
      (i) => html`<tr><td>${i.area}</td><td>${i.clioRecord}</td><td>${i.qboRecord ?? "—"}</td>
        <td>${i.clio}</td><td>${i.qbo}</td><td><strong>${i.difference}</strong></td><td>${i.reason}</td></tr>`,
    )}</tbody>
  </table>`;
}

/** One client: receivables and trust on both sides, then each of its differences. */
function client(c: ClientReconciliation, items: ReconcileItem[]) {
  return html`<article id="client-${c.clientId}" data-differences="${items.length}">
    <header><strong>${c.name ?? "(no name)"}</strong> <small>Clio contact ${c.clientId}${
      c.customerId ? html` · QuickBooks customer ${c.customerId}` : " · no QuickBooks customer"
    }</small></header>
    <table>
      <thead><tr><th></th><th>Clio</th><th>QuickBooks</th><th>Difference</th></tr></thead>
      <tbody>
        <tr><th scope="row">Receivables</th>${amounts(c.receivables)}</tr>
        <tr><th scope="row">Trust</th>${amounts(c.trust)}</tr>
      </tbody>
    </table>
    ${differences(items)}
  </article>`;
}

function reportBody(report: ReconcileReport, all: boolean) {
  const byClient = new Map<string, ReconcileItem[]>();
  for (const i of report.items) {
    const list = byClient.get(i.clientId);
    if (list) list.push(i);
    else byClient.set(i.clientId, [i]);
  }
  const shown = all ? report.clients : report.clients.filter((c) => byClient.has(c.clientId));
  // A difference of a client the report has no row for (none today) must still be listed.
  const listed = new Set(report.clients.map((c) => c.clientId));
  const orphans = report.items.filter((i) => !listed.has(i.clientId));
  return html`<p>Report of ${report.generatedAt.replace("T", " ").slice(0, 16)} UTC:
      ${report.ok ? html`<strong>everything agrees</strong>` : html`<strong>${report.items.length} difference(s)</strong>`}
      across ${report.clients.length} client(s). <a href="/reconciliation.csv" download>Download CSV</a></p>
    ${totals(report)}
    ${trustAccounts(report)}
    <h2>${all ? "Every client" : "Clients with differences"} (${shown.length})</h2>
    <p><small>${
      all
        ? html`<a href="/reconciliation">Only clients with differences</a>`
        : html`<a href="/reconciliation?all=1">Every client</a>`
    }</small></p>
    ${shown.map((c) => client(c, byClient.get(c.clientId) ?? []))}
    ${orphans.length > 0 ? html`<h2>Other differences</h2>${differences(orphans)}` : ""}`;
}

const DONE: Record<string, string> = {
  ran: "Reconciliation finished; the report below is the new one.",
  running: "The reconciliation is still running. Reload this page in a moment.",
  failed: "The reconciliation failed; the log has the details. The report below is the previous one.",
};

function runForm(session: WebSession, can: boolean) {
  if (!can) return "";
  return html`<form method="post" action="/reconciliation/run">${csrfField(session)}
    <button type="submit">Reconcile now</button>
    <small>Compares every client in Clio and QuickBooks, between sync passes.</small></form>`;
}

/** Reconciliation: the last full report, per client and in total, "Reconcile now" and its CSV. */
export function registerReconciliationPage(app: Hono<WebEnv>, deps: ReconciliationDeps): void {
  app.get("/reconciliation", async (c) => {
    const session = c.get("session");
    const stored = await readLastReconcileReport(deps.store);
    const report = stored && (await withNames(deps.store, stored));
    const body = html`${notice(DONE[c.req.query("done") ?? ""])}
      ${runForm(session, Boolean(deps.reconcileNow))}
      ${report ? reportBody(report, c.req.query("all") === "1") : html`<p>No reconciliation yet: the first sync pass makes one, or press <em>Reconcile now</em>.</p>`}`;
    return c.html(page({ title: "Reconciliation", session, active: "/reconciliation", body }));
  });

  app.get("/reconciliation.csv", async (c) => {
    const stored = await readLastReconcileReport(deps.store);
    if (!stored) return c.text("No reconciliation yet.", 404);
    const report = await withNames(deps.store, stored);
    const day = report.generatedAt.slice(0, 10);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="reconciliation-${day}.csv"`);
    return c.body(reconcileCsv(report));
  });

  app.post("/reconciliation/run", async (c) => {
    if (!deps.reconcileNow) return c.text("Reconciliation cannot run here.", 503);
    const work = deps.reconcileNow().then(
      () => "ran",
      (error: unknown) => {
        deps.logger.error({ err: error }, "reconciliation from the dashboard failed");
        return "failed";
      },
    );
    let outcome = "running";
    const ended = await awaitWork(
      work.then((o) => {
        outcome = o;
      }),
      deps.clock,
    );
    return c.redirect(`/reconciliation?done=${ended ? outcome : "running"}`, 303);
  });
}
