import { html } from "hono/html";
import type { Pool } from "pg";
import { CLIO_REGIONS } from "../../clio/regions.ts";
import type { WebSession } from "../../store/port.ts";
import type { FirmRecord } from "../../store/postgres/firm-registry.ts";
import { csrfField, dateTime, type Html, page } from "../layout.ts";
import { firmPrefix } from "./firm-mount.ts";

/** The installation's pages have one link: the firms (each firm's pages have their own navigation). */
const INSTALLATION_NAV = [{ path: "/firms", label: "Firms" }];

export interface FirmSummary {
  firm: FirmRecord;
  openItems: number;
  lastJob?: { kind: string; finishedAt?: number; outcome?: string };
}

/** Open Sync Status items and the last job of each of these firms (two queries, whatever their number). */
export async function firmSummaries(pool: Pool, firms: FirmRecord[]): Promise<FirmSummary[]> {
  const ids = firms.map((f) => f.id);
  const items = await pool.query<{ firm_id: string; n: number }>(
    "SELECT firm_id, count(*)::int AS n FROM issues WHERE firm_id = ANY($1) AND state = 'open' GROUP BY firm_id",
    [ids],
  );
  const jobs = await pool.query<{
    firm_id: string;
    kind: string;
    finished_at: string | null;
    outcome: string | null;
  }>(
    `SELECT DISTINCT ON (firm_id) firm_id, kind, finished_at, outcome FROM job_log
     WHERE firm_id = ANY($1) ORDER BY firm_id, id DESC`,
    [ids],
  );
  const open = new Map(items.rows.map((r) => [r.firm_id, r.n]));
  const last = new Map(jobs.rows.map((r) => [r.firm_id, r]));
  return firms.map((firm) => {
    const job = last.get(firm.id);
    return {
      firm,
      openItems: open.get(firm.id) ?? 0,
      ...(job
        ? {
            lastJob: {
              kind: job.kind,
              ...(job.finished_at ? { finishedAt: Number(job.finished_at) } : {}),
              ...(job.outcome ? { outcome: job.outcome } : {}),
            },
          }
        : {}),
    };
  });
}

const jobText = (job: FirmSummary["lastJob"]) =>
  !job
    ? "none yet"
    : job.finishedAt === undefined
      ? `${job.kind} running`
      : `${job.kind} ${job.outcome} ${dateTime(job.finishedAt)}`;

/** The list of firms a user may see: every firm for an integrator's admin, the user's own for a firm's user. */
export function firmsPage(session: WebSession, summaries: FirmSummary[], isAdmin: boolean): Html {
  return page({
    title: "Firms",
    session,
    nav: INSTALLATION_NAV,
    active: "/firms",
    body: html`${
      summaries.length === 0
        ? html`<p>No firms yet.</p>`
        : html`<table id="firms">
      <thead><tr><th>Firm</th><th>Id</th><th>Open Sync Status items</th><th>Last job</th></tr></thead>
      <tbody>${summaries.map(
        (s) => html`<tr data-firm="${s.firm.id}">
          <td><a href="${firmPrefix(s.firm.id)}/status">${s.firm.name}</a></td><td><code>${s.firm.id}</code></td>
          <td>${s.openItems}</td><td>${jobText(s.lastJob)}</td></tr>`,
      )}</tbody>
    </table>`
    }
    ${isAdmin ? html`<p><a href="/add-firm" role="button">Add firm</a></p>` : ""}`,
  });
}

/**
 * Add firm, step 1: its id, name and Clio region. Nothing is stored yet: the firm is created when
 * its first provider is connected (step 2, the Connect links).
 */
export function addFirmPage(
  session: WebSession,
  values: { id?: string; name?: string; error?: string },
): Html {
  return page({
    title: "Add firm",
    session,
    nav: INSTALLATION_NAV,
    active: "/firms",
    body: html`<article>
      ${values.error ? html`<p role="alert"><strong>${values.error}</strong></p>` : ""}
      <form method="post" action="/add-firm">
        ${csrfField(session)}
        <label>Firm id <small>(lowercase letters, digits, - and _)</small>
          <input name="id" value="${values.id ?? ""}" required pattern="[a-z0-9][a-z0-9_-]{0,62}" /></label>
        <label>Name <input name="name" value="${values.name ?? ""}" /></label>
        <label>Clio region <select name="clioRegion">${CLIO_REGIONS.map((r) => html`<option value="${r}">${r}</option>`)}</select></label>
        <button type="submit">Next: connect</button>
      </form>
    </article>`,
  });
}

/** Add firm, step 2: connect QuickBooks or Clio; the firm is created when one connects. */
export function connectNewFirmPage(
  session: WebSession,
  firm: { id: string; name: string; clioRegion: string },
): Html {
  const query = new URLSearchParams({ id: firm.id, name: firm.name, clioRegion: firm.clioRegion }).toString();
  return page({
    title: `Add firm ${firm.name}`,
    session,
    nav: INSTALLATION_NAV,
    active: "/firms",
    body: html`<p>The firm <code>${firm.id}</code> is created when its first connection is made; connect the other one
      on its Connections page afterwards.</p>
      <p><a href="/add-firm/qbo/connect?${query}" role="button">Connect QuickBooks</a>
      <a href="/add-firm/clio/connect?${query}" role="button" class="secondary">Connect Clio</a></p>`,
  });
}
