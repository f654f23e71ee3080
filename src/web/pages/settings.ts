import type { Hono } from "hono";
import { html } from "hono/html";
import type { ServeSettings, SettingsProblems, SettingsView } from "../../app/serve-settings.ts";
import { type ConfigOrigin, envName, flagName } from "../../core/config.ts";
import { DASHBOARD_SETTING_KEYS, type DashboardSettingKey } from "../../core/dashboard-settings.ts";
import type { InvoiceItemIds } from "../../engine/pass-context.ts";
import { readItemIds, readItemNames } from "../../engine/setup-items.ts";
import { readTrustAccountMap } from "../../engine/setup-trust.ts";
import type { Store, WebSession } from "../../store/port.ts";
import { csrfField, type Html, notice, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";

export interface SettingsDeps {
  store: Store;
  /** Absent where serve's configuration is not at hand (tests of other pages). */
  settings?: Pick<ServeSettings, "view" | "save">;
}

const ITEM_ROLES: Record<keyof InvoiceItemIds, string> = {
  services: "Service lines",
  expenses: "Expense lines",
  tax: "Tax",
  interest: "Interest",
  adjustment: "Discounts and adjustments",
  credit: "Credit notes",
};

/**
 * What lexbridge posts to in QuickBooks, as the first pass found or made it (kept in the store):
 * shown so a bookkeeper can check it; not editable here yet.
 */
async function accountsAndItems(store: Store) {
  const items = await readItemIds({ store });
  const names = await readItemNames({ store });
  const trust = Object.entries(await readTrustAccountMap({ store }));
  return html`<h2>Accounts and items</h2>
    <p><small>What the sync passes found or created in QuickBooks, kept since. A renamed item above
      is looked up (or created) at the next pass; the trust account mapping is not changed here.</small></p>
    <table id="items">
      <thead><tr><th>Invoice lines of</th><th>QuickBooks item</th><th>Item id</th></tr></thead>
      <tbody>${(Object.keys(ITEM_ROLES) as Array<keyof InvoiceItemIds>).map(
        (role) =>
          html`<tr><td>${ITEM_ROLES[role]}</td><td>${names[role]}</td><td>${items?.[role] ?? "not set up yet"}</td></tr>`,
      )}</tbody>
    </table>
    <h3>Trust accounts</h3>
    ${
      trust.length === 0
        ? html`<p>No trust account mapped yet (the first pass maps each Clio trust bank account).</p>`
        : html`<table id="trust-accounts">
      <thead><tr><th>Clio trust bank account</th><th>QuickBooks trust bank account id</th><th>QuickBooks trust liability account id</th></tr></thead>
      <tbody>${trust.map(
        ([clioId, pair]) =>
          html`<tr><td>${pair.name} <small>(Clio ${clioId})</small></td><td>${pair.bank}</td><td>${pair.liability}</td></tr>`,
      )}</tbody>
    </table>`
    }`;
}

type Values = Record<DashboardSettingKey, string>;

/** Why a field cannot be changed here, or undefined when it can. */
function fixedBy(key: DashboardSettingKey, origin: ConfigOrigin): string | undefined {
  switch (origin) {
    case "flag":
      return `Set by the flag ${flagName(key)} serve was started with; change it there.`;
    case "environment":
      return `Set by the environment variable ${envName(key)}; change it there.`;
    case "config file":
      return "Set in the config file (--config / LEXBRIDGE_CONFIG); change it there.";
    default:
      return undefined;
  }
}

const POLICIES = [
  ["latest-wins", "The later edit wins"],
  ["clio-wins", "Clio wins"],
  ["qbo-wins", "QuickBooks wins"],
] as const;

function field(
  key: DashboardSettingKey,
  label: string,
  help: string,
  view: SettingsView,
  problems: SettingsProblems,
  control: (attrs: Html) => Html,
) {
  const fixed = fixedBy(key, view.origins[key]);
  const problem = problems[key];
  const attrs = html`id="${key}" name="${key}" ${fixed ? html`disabled aria-describedby="${key}-fixed"` : ""}
    ${problem ? html`aria-invalid="true" aria-describedby="${key}-problem"` : ""}`;
  return html`<label for="${key}">${label}</label>
    ${control(attrs)}
    ${problem ? html`<small id="${key}-problem">${problem}</small>` : ""}
    ${fixed ? html`<small id="${key}-fixed" data-fixed="${view.origins[key]}">${fixed}</small>` : html`<small>${help}</small>`}`;
}

function form(session: WebSession, view: SettingsView, values: Values, problems: SettingsProblems) {
  return html`<form method="post" action="/settings" novalidate>
    ${csrfField(session)}
    ${field(
      "startDate",
      "Start date",
      "Bills issued on or after this day are sent to QuickBooks; empty: every bill.",
      view,
      problems,
      (attrs) => html`<input type="date" ${attrs} value="${values.startDate}" />`,
    )}
    ${field(
      "conflictPolicy",
      "When a contact field changed on both sides",
      "Which edit is kept; every conflict is recorded in the audit log.",
      view,
      problems,
      (attrs) =>
        html`<select ${attrs}>${POLICIES.map(
          ([value, text]) =>
            html`<option value="${value}" ${value === values.conflictPolicy ? "selected" : ""}>${text}</option>`,
        )}</select>`,
    )}
    ${field(
      "syncIntervalSeconds",
      "Seconds between sync passes",
      "The periodic pass, the safety net under the webhooks (10 at least).",
      view,
      problems,
      (attrs) =>
        html`<input type="number" min="10" step="1" ${attrs} value="${values.syncIntervalSeconds}" />`,
    )}
    ${field(
      "servicesItemName",
      "QuickBooks item for service lines",
      "Invoice lines of Clio time and flat-rate entries use the item of this name (created as a Service item when missing).",
      view,
      problems,
      (attrs) => html`<input type="text" maxlength="100" ${attrs} value="${values.servicesItemName}" />`,
    )}
    ${field(
      "expensesItemName",
      "QuickBooks item for expense lines",
      "Invoice lines of Clio expenses use the item of this name (created as a Service item when missing).",
      view,
      problems,
      (attrs) => html`<input type="text" maxlength="100" ${attrs} value="${values.expensesItemName}" />`,
    )}
    ${field(
      "qboDepositAccount",
      "QuickBooks account payments are deposited to",
      "A Bank or Other Current Asset account, by name or id; empty: Undeposited Funds. Applies to payments sent from the next pass (lexbridge doctor checks it).",
      view,
      problems,
      (attrs) => html`<input type="text" maxlength="100" ${attrs} value="${values.qboDepositAccount}" />`,
    )}
    ${field(
      "qboTaxCodes",
      "QuickBooks tax code per Clio tax rate",
      "Only for rates no single QuickBooks code matches: rate=code pairs separated by ; (0 = untaxed lines), e.g. 0=Exempt;13=HST ON. Empty: codes are matched by rate.",
      view,
      problems,
      (attrs) => html`<input type="text" maxlength="500" ${attrs} value="${values.qboTaxCodes}" />`,
    )}
    ${field(
      "qboTrustAccounts",
      "Existing QuickBooks trust accounts",
      "Only when QuickBooks already holds a Clio trust account's history before the trust start date: clio account=bank account|liability account, e.g. IOLTA Trust Account=Client Trust|Client Trust Liability. Used only if their balance on that date equals Clio's.",
      view,
      problems,
      (attrs) => html`<input type="text" maxlength="500" ${attrs} value="${values.qboTrustAccounts}" />`,
    )}
    <button type="submit">Save</button>
    <p><small>Saved settings take effect at the next sync pass. A setting fixed by a flag, an
      environment variable or the config file wins over this page.</small></p>
  </form>`;
}

const shown = (view: SettingsView): Values =>
  Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, String(view.values[k] ?? "")])) as Values;

function render(session: WebSession, body: Html) {
  return page({ title: "Settings", session, active: "/settings", body });
}

/** Settings: the few a bookkeeper may change, checked by the configuration's schema. */
export function registerSettingsPage(app: Hono<WebEnv>, deps: SettingsDeps): void {
  app.get("/settings", (c) => {
    const session = c.get("session");
    if (!deps.settings) return c.html(render(session, html`<p>Settings cannot be changed here.</p>`), 503);
    const view = deps.settings.view();
    const saved =
      c.req.query("saved") === "1" ? "Saved. The changes take effect at the next sync pass." : undefined;
    return c.html(
      render(
        session,
        html`${notice(saved)}${form(session, view, shown(view), {})}${accountsAndItems(deps.store)}`,
      ),
    );
  });

  app.post("/settings", async (c) => {
    const session = c.get("session");
    if (!deps.settings) return c.text("Settings cannot be changed here.", 503);
    const posted = await c.req.parseBody();
    const text = (k: string) => (typeof posted[k] === "string" ? (posted[k] as string) : undefined);
    const submitted = Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, text(k)])) as Partial<Values>;
    const result = deps.settings.save(submitted);
    if (result.ok) return c.redirect("/settings?saved=1", 303);
    // Re-rendered with what was typed, and the schema's message beside each field it refused.
    const view = deps.settings.view();
    const values = { ...shown(view) };
    for (const key of Object.keys(submitted) as DashboardSettingKey[])
      if (submitted[key] !== undefined && !fixedBy(key, view.origins[key])) values[key] = submitted[key]!;
    return c.html(
      render(session, html`${form(session, view, values, result.problems)}${accountsAndItems(deps.store)}`),
      400,
    );
  });
}
