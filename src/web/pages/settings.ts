import type { Hono } from "hono";
import { html } from "hono/html";
import { accountNamed, type QboChoices } from "../../app/qbo-choices.ts";
import type { ServeSettings, SettingsProblems, SettingsView } from "../../app/serve-settings.ts";
import { DASHBOARD_SETTING_KEYS } from "../../core/dashboard-settings.ts";
import { LexError } from "../../core/errors.ts";
import type { InvoiceItemIds } from "../../engine/pass-context.ts";
import { readItemIds, readItemNames } from "../../engine/setup-items.ts";
import { readTrustAccountMap } from "../../engine/setup-trust.ts";
import type { Store, WebSession } from "../../store/port.ts";
import { errorBlock } from "../error-block.ts";
import { type Html, notice, page } from "../layout.ts";
import type { WebEnv } from "../web-env.ts";
import { fixedBy, SETTING_LABELS, type SettingsValues, settingsForm } from "./settings-form.ts";

export interface SettingsDeps {
  store: Store;
  /** Absent where serve's configuration is not at hand (tests of other pages). */
  settings?: Pick<ServeSettings, "view" | "save">;
  /**
   * The connected QuickBooks company's accounts and items, for the choices; undefined when not
   * connected yet. Absent: the page offers text fields only.
   */
  qboChoices?(): Promise<QboChoices | undefined>;
  /** How long the page waits for them (default 5 s: a pass may hold QuickBooks' rate budget). */
  choicesWaitMs?: number;
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
 * What lexbridge posts to in QuickBooks, as the passes found or made it (kept in the store):
 * shown so a bookkeeper can check that a saved change took effect.
 */
async function accountsAndItems(store: Store) {
  const items = await readItemIds({ store });
  const names = await readItemNames({ store });
  const trust = Object.entries(await readTrustAccountMap({ store }));
  return html`<h2>In use now</h2>
    <p><small>The items the sync passes found or created in QuickBooks, kept since. A changed item
      name above is looked up (or created) at the next pass.</small></p>
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

const shown = (view: SettingsView): SettingsValues =>
  Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, String(view.values[k] ?? "")])) as SettingsValues;

function render(session: WebSession, body: Html) {
  return page({ title: "Settings", session, active: "/settings", body });
}

type ChoicesRead = { choices: QboChoices | undefined; note: string | undefined };

/** The company's choices, or why there are none (the page then takes names and ids as text). */
async function readChoices(deps: SettingsDeps): Promise<ChoicesRead> {
  if (!deps.qboChoices) return { choices: undefined, note: undefined };
  const waitMs = deps.choicesWaitMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${waitMs / 1000} s`)), waitMs);
  });
  try {
    const choices = await Promise.race([deps.qboChoices(), late]);
    return choices
      ? { choices, note: undefined }
      : {
          choices: undefined,
          note: "QuickBooks is not connected yet (or no pass has run with it): accounts and items are typed by name.",
        };
  } catch (error) {
    return {
      choices: undefined,
      note: `QuickBooks could not be read now (${error instanceof Error ? error.message : String(error)}): accounts and items are typed by name or id; lexbridge doctor and the next pass check them.`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The account choices the company does not offer (a stale page, a deactivated account, a typo). */
function refusedByQbo(form: Partial<SettingsValues>, choices: QboChoices | undefined): SettingsProblems {
  const refused: SettingsProblems = {};
  if (!choices) return refused;
  const income = form.qboIncomeAccount?.trim();
  if (income && !accountNamed(choices.incomeAccounts, income))
    refused.qboIncomeAccount = `QuickBooks has no active Income account "${income}": choose one of the list`;
  const deposit = form.qboDepositAccount?.trim();
  if (deposit && !accountNamed(choices.depositAccounts, deposit))
    refused.qboDepositAccount = `QuickBooks has no active Bank or Other Current Asset account "${deposit}": choose one of the list`;
  return refused;
}

/** The page's coded summary of a refused save, above the form (each field says what is wrong). */
function refusal(problems: SettingsProblems) {
  // In the page's order, by the labels the person sees.
  const fields = (Object.keys(SETTING_LABELS) as Array<keyof SettingsProblems>)
    .filter((k) => problems[k])
    .map((k) => `“${SETTING_LABELS[k]}”`);
  return errorBlock(
    new LexError(
      "config_invalid",
      `Nothing was saved: ${fields.length === 1 ? "1 setting needs" : `${fields.length} settings need`} a change (${fields.join(", ")}), marked below; what you typed is kept`,
    ),
    "Correct each marked field as its message says, and save again.",
  );
}

/** Settings: what a bookkeeper may change, checked by the configuration's schema and the company. */
export function registerSettingsPage(app: Hono<WebEnv>, deps: SettingsDeps): void {
  app.get("/settings", async (c) => {
    const session = c.get("session");
    if (!deps.settings) return c.html(render(session, html`<p>Settings cannot be changed here.</p>`), 503);
    const view = deps.settings.view();
    const { choices, note } = await readChoices(deps);
    const saved =
      c.req.query("saved") === "1" ? "Saved. The changes take effect at the next sync pass." : undefined;
    return c.html(
      render(
        session,
        html`${notice(saved)}${note ? html`<p id="choices-note"><small>${note}</small></p>` : ""}
        ${settingsForm({ session, view, values: shown(view), problems: {}, choices })}
        ${accountsAndItems(deps.store)}`,
      ),
    );
  });

  app.post("/settings", async (c) => {
    const session = c.get("session");
    if (!deps.settings) return c.text("Settings cannot be changed here.", 503);
    const posted = await c.req.parseBody();
    const text = (k: string) => (typeof posted[k] === "string" ? (posted[k] as string) : undefined);
    const submitted = Object.fromEntries(
      DASHBOARD_SETTING_KEYS.map((k) => [k, text(k)]),
    ) as Partial<SettingsValues>;
    const { choices, note } = await readChoices(deps);
    const result = deps.settings.save(submitted, refusedByQbo(submitted, choices));
    if (result.ok) return c.redirect("/settings?saved=1", 303);
    // Re-rendered with what was typed, and the message beside each field it refused.
    const view = deps.settings.view();
    const values = { ...shown(view) };
    for (const key of Object.keys(submitted) as Array<keyof SettingsValues>)
      if (submitted[key] !== undefined && !fixedBy(key, view.origins[key])) values[key] = submitted[key]!;
    return c.html(
      render(
        session,
        html`${refusal(result.problems)}${note ? html`<p id="choices-note"><small>${note}</small></p>` : ""}
        ${settingsForm({ session, view, values, problems: result.problems, choices })}
        ${accountsAndItems(deps.store)}`,
      ),
      400,
    );
  });
}
