import type { Hono } from "hono";
import { html } from "hono/html";
import {
  decideMatch,
  type MatchPair,
  proposedMatchPairs,
  type ReadQboCustomer,
} from "../../app/match-review.ts";
import type { PassRunner } from "../../app/pass-runner.ts";
import type { Clock } from "../../core/clock.ts";
import { CONTACT_FIELD_NAMES, type ContactFields, type PostalAddress } from "../../mapping/contact-fields.ts";
import type { Store, WebSession } from "../../store/port.ts";
import { awaitPass } from "../await-pass.ts";
import { csrfField, notice, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

export interface MatchesDeps {
  store: Store;
  clock: Clock;
  runner: Pick<PassRunner, "runNow">;
  readQboCustomer: ReadQboCustomer;
}

const LABELS: Record<keyof ContactFields, string> = {
  givenName: "First name",
  familyName: "Last name",
  companyName: "Company",
  email: "Email",
  phone: "Phone",
  mobile: "Mobile",
  homePhone: "Home phone",
  fax: "Fax",
  shipAddress: "Work address",
  billAddress: "Billing address",
};

const show = (value: string | PostalAddress | null | undefined) =>
  !value
    ? "—"
    : typeof value === "string"
      ? value
      : [value.line1, value.city, value.region, value.postalCode, value.country].filter(Boolean).join(", ");

/** Both records of a proposal side by side, one row per synced field. */
function pair(p: MatchPair, session: WebSession) {
  const decide = (decision: "accept" | "reject", label: string, cls: string) =>
    html`<form method="post" action="/matches/${p.proposal.clioId}/${decision}">${csrfField(session)}
      <button type="submit" class="${cls}">${label}</button></form>`;
  return html`<article id="match-${p.proposal.clioId}">
    <header><strong>${p.clio.name}</strong> may be QuickBooks customer <strong>${p.qbo.name}</strong>
      <small>(${p.proposal.reason})</small></header>
    <table>
      <thead><tr><th></th><th>Clio contact ${p.clio.id}</th><th>QuickBooks customer ${p.qbo.id}</th></tr></thead>
      <tbody>${CONTACT_FIELD_NAMES.map(
        (f) =>
          html`<tr><th scope="row">${LABELS[f]}</th><td>${show(p.clio.fields?.[f])}</td><td>${show(p.qbo.fields?.[f])}</td></tr>`,
      )}</tbody>
    </table>
    <footer><div class="grid">
      ${decide("accept", "Accept: same client, link them", "")}
      ${decide("reject", "Reject: create a new customer", "secondary")}
    </div></footer>
  </article>`;
}

const DONE: Record<string, string> = {
  accepted: "Match accepted; the client is linked.",
  rejected: "Match rejected; a new customer was created.",
  running: "Decision recorded; the pass that applies it is still running.",
};

/** Match review: near matches the first sync proposed; a decision takes effect in a pass run at once. */
export function registerMatchesPage(app: Hono<WebEnv>, deps: MatchesDeps): void {
  app.get("/matches", async (c) => {
    const session = c.get("session");
    const pairs = await proposedMatchPairs(deps.store, deps.readQboCustomer);
    const body = html`${notice(DONE[c.req.query("done") ?? ""])}
      ${pairs.length === 0 ? html`<p>No matches wait for a decision.</p>` : pairs.map((p) => pair(p, session))}`;
    return c.html(page({ title: "Match review", session, active: "/matches", body }));
  });

  app.post("/matches/:clioId/:decision{accept|reject}", async (c) => {
    const decision = c.req.param("decision") === "accept" ? "accepted" : "rejected";
    const result = await decideMatch(deps.store, c.req.param("clioId"), decision, deps.clock.now());
    if (!result) return c.text("No such proposed match.", 404);
    const finished = await awaitPass(deps.runner, deps.clock);
    return c.redirect(`/matches?done=${finished ? result.state : "running"}`, 303);
  });
}
