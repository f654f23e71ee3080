import type { Hono } from "hono";
import { html } from "hono/html";
import {
  type AuditQuery,
  type AuditRow,
  auditCsv,
  auditPage,
  auditQueryProblems,
} from "../../app/audit-search.ts";
import type { Store } from "../../store/port.ts";
import { dateTime, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

export interface AuditDeps {
  store: Store;
}

/** Entries on one page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

const FIELDS = ["record", "client", "from", "to"] as const;

function queryOf(get: (name: string) => string | undefined): AuditQuery {
  const query: AuditQuery = {};
  for (const field of FIELDS) {
    const value = get(field)?.trim();
    if (value) query[field] = value;
  }
  return query;
}

/** The query as URL parameters, for the CSV link and the next page. */
function search(query: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(query as Record<string, string>), ...extra }).toString();
  return params ? `?${params}` : "";
}

function form(query: AuditQuery, problems: Partial<Record<keyof AuditQuery, string>>) {
  const field = (name: keyof AuditQuery, label: string, type: string, hint: string) =>
    html`<label>${label}
      <input type="${type}" name="${name}" value="${query[name] ?? ""}" placeholder="${hint}"
        ${problems[name] ? html`aria-invalid="true" aria-describedby="${name}-problem"` : ""} />
      ${problems[name] ? html`<small id="${name}-problem">${problems[name]}</small>` : ""}
    </label>`;
  // Not role="search": Pico would squeeze the four fields and both buttons into one row.
  return html`<form method="get" action="/audit" aria-label="Search the audit log">
    <div class="grid">
      ${field("record", "Record id", "text", "Clio or QuickBooks id")}
      ${field("client", "Client name", "text", "part of the name")}
      ${field("from", "From", "date", "YYYY-MM-DD")}
      ${field("to", "To", "date", "YYYY-MM-DD")}
    </div>
    <div class="grid">
      <button type="submit">Search</button>
      <a href="/audit.csv${search(query)}" role="button" class="secondary" download>Export CSV of these entries</a>
    </div>
  </form>`;
}

/** Before and after of each changed field. */
function changes(row: AuditRow) {
  if (row.changes.length === 0) return "";
  return html`<table>
    <thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead>
    <tbody>${row.changes.map(
      (c) => html`<tr><td>${c.field}</td><td>${c.before ?? "—"}</td><td>${c.after ?? "—"}</td></tr>`,
    )}</tbody>
  </table>`;
}

function entry(row: AuditRow) {
  const e = row.entry;
  const f = row.facts;
  const what = [f.billNumber ? `bill ${f.billNumber}` : undefined, f.client, f.amount]
    .filter(Boolean)
    .join(" · ");
  return html`<article id="audit-${e.seq}" data-outcome="${e.outcome}">
    <header><strong>${e.entity.replace("_", " ")} ${e.action}</strong> ${what ? html`— ${what}` : ""}
      <small>· ${e.outcome} · ${dateTime(e.at)} · #${e.seq}</small></header>
    <p><small>Clio ${e.clioId}${e.qboId ? html` → QuickBooks ${e.qboId}` : ""} · request <code>${e.requestId}</code>${
      e.detail ? html` · ${e.detail}` : ""
    }</small></p>
    ${changes(row)}
  </article>`;
}

/** The audit log: every write lexbridge made, searched by record, client and dates, with CSV export. */
export function registerAuditPage(app: Hono<WebEnv>, deps: AuditDeps): void {
  app.get("/audit", async (c) => {
    const session = c.get("session");
    const query = queryOf((name) => c.req.query(name));
    const problems = auditQueryProblems(query);
    const before = Number(c.req.query("before"));
    const valid = Object.keys(problems).length === 0;
    const result = valid
      ? await auditPage(deps.store, query, {
          size: AUDIT_PAGE_SIZE,
          ...(Number.isSafeInteger(before) && before > 0 ? { beforeSeq: before } : {}),
        })
      : { rows: [] };
    const body = html`${form(query, problems)}
      ${valid && result.rows.length === 0 ? html`<p>No entries match.</p>` : ""}
      ${result.rows.map(entry)}
      <nav><ul>
        ${c.req.query("before") ? html`<li><a href="/audit${search(query)}">Newest</a></li>` : ""}
        ${result.nextBeforeSeq ? html`<li><a href="/audit${search(query, { before: String(result.nextBeforeSeq) })}">Older entries</a></li>` : ""}
      </ul></nav>`;
    return c.html(page({ title: "Audit log", session, active: "/audit", body }), valid ? 200 : 400);
  });

  app.get("/audit.csv", async (c) => {
    const query = queryOf((name) => c.req.query(name));
    const problems = Object.values(auditQueryProblems(query));
    if (problems.length > 0) return c.text(`Dates: ${problems.join("; ")}.`, 400);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="audit-log.csv"');
    return c.body(await auditCsv(deps.store, query));
  });
}
