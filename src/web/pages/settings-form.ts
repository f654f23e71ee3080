import { html } from "hono/html";
import { accountNamed, type QboAccountChoice, type QboChoices } from "../../app/qbo-choices.ts";
import type { SettingsProblems, SettingsView } from "../../app/serve-settings.ts";
import { type ConfigOrigin, envName, flagName } from "../../core/config.ts";
import type { DashboardSettingKey } from "../../core/dashboard-settings.ts";
import type { WebSession } from "../../store/port.ts";
import { csrfField, type Html } from "../layout.ts";

export type SettingsValues = Record<DashboardSettingKey, string>;

/** What the form is drawn with: the settings, what was typed, and the company's choices if read. */
export interface SettingsFormInput {
  session: WebSession;
  view: SettingsView;
  values: SettingsValues;
  problems: SettingsProblems;
  /** Undefined: QuickBooks is not connected or could not be read (plain text fields then). */
  choices: QboChoices | undefined;
}

/** Why a field cannot be changed here, or undefined when it can. */
export function fixedBy(key: DashboardSettingKey, origin: ConfigOrigin): string | undefined {
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

/** Each setting's label on the page (a refused save names the fields by them). */
export const SETTING_LABELS: Record<DashboardSettingKey, string> = {
  startDate: "Start date",
  conflictPolicy: "When a contact field changed on both sides",
  syncIntervalSeconds: "Seconds between sync passes",
  qboDepositAccount: "Account payments are deposited to",
  qboIncomeAccount: "Income account of the items lexbridge creates",
  servicesItemName: "Service lines",
  expensesItemName: "Expense lines",
  taxItemName: "Tax line",
  interestItemName: "Interest lines",
  adjustmentItemName: "Adjustment line",
  creditItemName: "Credit memo lines",
  qboTaxCodes: "QuickBooks tax code per Clio tax rate",
  qboTrustAccounts: "Existing QuickBooks trust accounts",
  qboClass: "Class",
  qboLocation: "Location",
};

const POLICIES = [
  ["latest-wins", "The later edit wins"],
  ["clio-wins", "Clio wins"],
  ["qbo-wins", "QuickBooks wins"],
] as const;

/** The item settings, in the order of an invoice's lines. */
const ITEM_FIELDS: Array<[key: DashboardSettingKey, help: string]> = [
  ["servicesItemName", "Lines of Clio time and flat-rate entries."],
  ["expensesItemName", "Lines of Clio expenses."],
  [
    "taxItemName",
    "Clio's tax as a line, only when the QuickBooks company has sales tax off (otherwise QuickBooks books the tax).",
  ],
  ["interestItemName", "Interest Clio charged on the bill."],
  [
    "adjustmentItemName",
    "The line that brings an invoice to the Clio bill's total when QuickBooks' sum falls short.",
  ],
  ["creditItemName", "Lines of the credit memos made for Clio credit notes."],
];

function field(
  key: DashboardSettingKey,
  help: Html | string,
  input: SettingsFormInput,
  control: (attrs: Html) => Html,
) {
  const fixed = fixedBy(key, input.view.origins[key]);
  const problem = input.problems[key];
  const attrs = html`id="${key}" name="${key}" ${fixed ? html`disabled aria-describedby="${key}-fixed"` : ""}
    ${problem ? html`aria-invalid="true" aria-describedby="${key}-problem"` : ""}`;
  return html`<label for="${key}">${SETTING_LABELS[key]}</label>
    ${control(attrs)}
    ${problem ? html`<small id="${key}-problem">${problem}</small>` : ""}
    ${fixed ? html`<small id="${key}-fixed" data-fixed="${input.view.origins[key]}">${fixed}</small>` : html`<small>${help}</small>`}`;
}

/**
 * An account setting as a select of the company's accounts (value: the id), the current one
 * selected; a value that names none of them stays as an option of its own, marked, so nothing
 * typed or saved is lost. Without the company's accounts, a text field (a name or an id).
 */
function accountControl(
  value: string,
  accounts: QboAccountChoice[] | undefined,
  unsetText: string,
  kind: string,
) {
  return (attrs: Html) => {
    if (!accounts) return html`<input type="text" maxlength="100" ${attrs} value="${value}" />`;
    const current = value ? accountNamed(accounts, value) : undefined;
    return html`<select ${attrs}>
      <option value="" ${value === "" ? "selected" : ""}>${unsetText}</option>
      ${
        value && !current
          ? html`<option value="${value}" selected>${value} — not an active ${kind} account in QuickBooks</option>`
          : ""
      }
      ${accounts.map(
        (a) =>
          html`<option value="${a.id}" ${current?.id === a.id ? "selected" : ""}>${a.name}${a.type === kind ? "" : ` (${a.type})`}</option>`,
      )}
    </select>`;
  };
}

/** Where an item name stands in the company: found (type, account) or to be created. */
function itemState(name: string, choices: QboChoices | undefined): string {
  if (!choices || !name.trim()) return "";
  const item = choices.items.find((i) => i.name === name.trim());
  if (!item)
    return "No active QuickBooks item has this name: the next pass creates it, as a Service item on the income account for new items.";
  return `In QuickBooks: a ${item.type} item${item.incomeAccount ? ` on the income account "${item.incomeAccount}"` : ""}.`;
}

function syncFields(input: SettingsFormInput) {
  const v = input.values;
  return html`<fieldset id="settings-sync"><legend><strong>Sync</strong></legend>
    ${field(
      "startDate",
      "Bills issued on or after this day are sent to QuickBooks; empty: every bill.",
      input,
      (attrs) => html`<input type="date" ${attrs} value="${v.startDate}" />`,
    )}
    ${field(
      "conflictPolicy",
      "Which edit is kept; every conflict is recorded in the audit log.",
      input,
      (attrs) =>
        html`<select ${attrs}>${POLICIES.map(
          ([value, text]) =>
            html`<option value="${value}" ${value === v.conflictPolicy ? "selected" : ""}>${text}</option>`,
        )}</select>`,
    )}
    ${field(
      "syncIntervalSeconds",
      "The periodic pass, the safety net under the webhooks (10 at least).",
      input,
      (attrs) => html`<input type="number" min="10" step="1" ${attrs} value="${v.syncIntervalSeconds}" />`,
    )}
  </fieldset>`;
}

/** The accounts lexbridge posts to; the trust account mapping (issue 14) belongs here too. */
function accountFields(input: SettingsFormInput) {
  const v = input.values;
  const firstIncome = input.choices?.firstIncomeAccount;
  return html`<fieldset id="settings-accounts"><legend><strong>QuickBooks accounts</strong></legend>
    ${field(
      "qboDepositAccount",
      "A Bank or Other Current Asset account; not set: Undeposited Funds. lexbridge doctor checks it.",
      input,
      accountControl(
        v.qboDepositAccount,
        input.choices?.depositAccounts,
        "Not set: Undeposited Funds (QuickBooks' default)",
        "Bank",
      ),
    )}
    ${field(
      "qboIncomeAccount",
      "Used only when an item below is created; an item that exists keeps its own income account (change that on the item in QuickBooks).",
      input,
      accountControl(
        v.qboIncomeAccount,
        input.choices?.incomeAccounts,
        `Not set: the company's first Income account${firstIncome ? ` (${firstIncome})` : ""}`,
        "Income",
      ),
    )}
    ${field(
      "qboTrustAccounts",
      "Only when QuickBooks already holds a Clio trust account's history before the trust start date: clio account=bank account|liability account, e.g. IOLTA Trust Account=Client Trust|Client Trust Liability. Used only if their balance on that date equals Clio's.",
      input,
      (attrs) =>
        html`<input type="text" maxlength="500" ${attrs} value="${input.values.qboTrustAccounts}" />`,
    )}
  </fieldset>`;
}

function itemFields(input: SettingsFormInput) {
  return html`<fieldset id="settings-items"><legend><strong>QuickBooks items on lexbridge's lines</strong></legend>
    <p><small>Found by name (pick one of the company's items or type a new name), or created as a
      Service item at the next pass.</small></p>
    ${ITEM_FIELDS.map(([key, help]) =>
      field(key, html`${help} ${itemState(input.values[key], input.choices)}`, input, (attrs) => {
        return html`<input type="text" maxlength="100" list="qbo-items" ${attrs} value="${input.values[key]}" />`;
      }),
    )}
    ${
      input.choices
        ? html`<datalist id="qbo-items">${input.choices.items.map(
            (i) => html`<option value="${i.name}">${i.type}</option>`,
          )}</datalist>`
        : ""
    }
  </fieldset>`;
}

function taxFields(input: SettingsFormInput) {
  return html`<fieldset id="settings-tax"><legend><strong>Sales tax</strong></legend>
    ${field(
      "qboTaxCodes",
      "Only for rates no single QuickBooks code matches: rate=code pairs separated by ; (0 = untaxed lines), e.g. 0=Exempt;13=HST ON. Empty: codes are matched by rate.",
      input,
      (attrs) => html`<input type="text" maxlength="500" ${attrs} value="${input.values.qboTaxCodes}" />`,
    )}
  </fieldset>`;
}

/**
 * Class and location: sent only when the company tracks them (lexbridge doctor says whether it
 * does); the company's active ones are suggested, and a name or an id is accepted.
 */
function trackingFields(input: SettingsFormInput) {
  const list = (key: "qboClass" | "qboLocation", id: string, names: string[] | undefined) =>
    field(
      key,
      key === "qboClass"
        ? "Put on invoices, credit memos and trust journal entries when the company tracks classes; empty: none."
        : "Put on invoices, credit memos and trust journal entries when the company tracks locations; empty: none.",
      input,
      (attrs) =>
        html`<input type="text" maxlength="100" ${names ? html`list="${id}"` : ""} ${attrs} value="${input.values[key]}" />${
          names
            ? html`<datalist id="${id}">${names.map((n) => html`<option value="${n}"></option>`)}</datalist>`
            : ""
        }`,
    );
  return html`<fieldset id="settings-tracking"><legend><strong>Class and location</strong></legend>
    ${list("qboClass", "qbo-classes", input.choices?.classes)}
    ${list("qboLocation", "qbo-locations", input.choices?.locations)}
  </fieldset>`;
}

/** The Settings form: one fieldset per subject, the company's choices where it was read. */
export function settingsForm(input: SettingsFormInput) {
  return html`<form method="post" action="/settings" novalidate>
    ${csrfField(input.session)}
    ${syncFields(input)}
    ${accountFields(input)}
    ${itemFields(input)}
    ${taxFields(input)}
    ${trackingFields(input)}
    <button type="submit">Save</button>
    <p id="settings-effect"><small>Saved settings take effect at the next sync pass, for what lexbridge writes
      from then on: new invoices, credit memos and payments, and an invoice written again because its
      Clio bill changed. What QuickBooks holds already is not rewritten because a setting changed,
      so past periods stay as they are. A setting fixed by a flag, an environment variable or the
      config file wins over this page.</small></p>
  </form>`;
}
