import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { QboChoices } from "../../app/qbo-choices.ts";
import { ServeSettings } from "../../app/serve-settings.ts";
import { type ConfigSources, loadConfig } from "../../core/config.ts";
import { dashboardSettingsPath } from "../../core/dashboard-settings.ts";
import { silentLogger } from "../../core/logger.ts";
import { TRUST_KV_KEY } from "../../engine/setup-trust.ts";
import { dashboardApp } from "../../testing/dashboard-app.ts";

/** The Settings page on a data dir of its own, with serve's configuration from `env`. */
async function settingsPage(
  env: Record<string, string> = {},
  qboChoices?: () => Promise<QboChoices | undefined>,
  choicesWaitMs?: number,
) {
  const dataDir = join(mkdtempSync(join(tmpdir(), "lexbridge-settings-page-")), "data");
  const sources: ConfigSources = { env, flags: { dataDir } };
  const settings = new ServeSettings(loadConfig(sources), silentLogger, sources);
  const d = await dashboardApp({
    extra: { settings, ...(qboChoices ? { qboChoices } : {}), ...(choicesWaitMs ? { choicesWaitMs } : {}) },
  });
  const { cookie, token } = await d.session();
  const save = (fields: Record<string, string>) =>
    d.request("/settings", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ ...fields, _csrf: token }),
    });
  const show = async () => (await d.request("/settings", { cookie })).text();
  const stored = () =>
    JSON.parse(readFileSync(dashboardSettingsPath(dataDir), "utf8")) as Record<string, unknown>;
  return { d, dataDir, sources, settings, save, show, stored, cookie };
}

describe("the Settings page", () => {
  it("shows the defaults, saves valid settings where the configuration reads them, for the next pass", async () => {
    const p = await settingsPage();
    const before = await p.show();
    assert.match(before, /name="startDate"[^>]*value=""/);
    assert.match(before, /<option value="latest-wins" selected>/);
    assert.match(before, /name="syncIntervalSeconds"[^>]*value="300"/);
    const saved = await p.save({
      startDate: "2026-01-01",
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: "60",
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/settings?saved=1");
    assert.deepEqual(p.stored(), {
      startDate: "2026-01-01",
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: 60,
    });
    const config = loadConfig(p.sources);
    assert.equal(config.startDate, "2026-01-01", "every command reads them");
    assert.equal(p.settings.current().syncIntervalSeconds, 60, "serve's next pass and wait use them");
    const after = await (await p.d.request("/settings?saved=1", { cookie: p.cookie })).text();
    assert.match(after, /take effect at the next sync pass/);
    assert.match(after, /<option value="clio-wins" selected>/);
    await p.save({
      startDate: "",
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: "60",
      servicesItemName: " Fees ",
    });
    assert.equal(p.stored().startDate, undefined, "an empty start date: every bill");
    assert.equal(p.stored().servicesItemName, "Fees", "trimmed by the schema");
    assert.equal(p.settings.current().servicesItemName, "Fees");
    await p.save({
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: "60",
      qboDepositAccount: "Operating Account",
      qboTaxCodes: "0=Exempt;13=HST ON",
    });
    assert.equal(p.settings.current().qboDepositAccount, "Operating Account", "the deposit account");
    assert.equal(p.settings.current().qboTaxCodes, "0=Exempt;13=HST ON", "the tax codes");
    await p.save({
      ...{ conflictPolicy: "clio-wins", syncIntervalSeconds: "60" },
      qboClass: "Litigation",
      qboLocation: "",
    });
    assert.equal(p.settings.current().qboClass, "Litigation", "the class");
    assert.equal(p.stored().qboLocation, undefined, "an empty location: none");
    const refused = await p.save({
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: "60",
      qboTaxCodes: "HST",
    });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /<small id="qboTaxCodes-problem">expected rate=code pairs/);
  });

  it("re-renders the form with the schema's message beside each refused field, and saves nothing", async () => {
    const p = await settingsPage();
    const response = await p.save({
      startDate: "2026-13-01",
      conflictPolicy: "whoever",
      syncIntervalSeconds: "5",
      servicesItemName: "Legal: Services",
      expensesItemName: " ",
    });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.match(text, /<small id="servicesItemName-problem">expected no colon, tab or line break/);
    assert.match(text, /<small id="expensesItemName-problem">expected a name<\/small>/);
    for (const field of ["startDate", "conflictPolicy", "syncIntervalSeconds"])
      assert.match(text, new RegExp(`<small id="${field}-problem">[^<]+</small>`), field);
    assert.match(
      text,
      /<small id="syncIntervalSeconds-problem">Too small: expected number to be &gt;=10<\/small>/,
    );
    assert.match(
      text,
      /name="startDate"[^>]*aria-invalid="true"[^>]*value="2026-13-01"/,
      "what was typed stays",
    );
    assert.equal(existsSync(dashboardSettingsPath(p.dataDir)), false);
  });

  it("shows a setting fixed by the environment as read-only with the reason, and never saves it", async () => {
    const p = await settingsPage({ LEXBRIDGE_SYNC_INTERVAL_SECONDS: "120" });
    const text = await p.show();
    assert.match(text, /name="syncIntervalSeconds" disabled/);
    assert.match(
      text,
      /data-fixed="environment">Set by the environment variable LEXBRIDGE_SYNC_INTERVAL_SECONDS/,
    );
    assert.match(text, /name="syncIntervalSeconds"[^>]*value="120"/);
    const saved = await p.save({ conflictPolicy: "qbo-wins", syncIntervalSeconds: "30" });
    assert.equal(saved.status, 303);
    assert.deepEqual(p.stored(), { conflictPolicy: "qbo-wins" });
    assert.equal(p.settings.current().syncIntervalSeconds, 120);
  });

  it("shows the QuickBooks items and trust accounts lexbridge posts to, read-only", async () => {
    const p = await settingsPage();
    assert.match(await p.show(), /not set up yet/);
    assert.match(await p.show(), /No trust account mapped yet/);
    const items = {
      services: "21",
      expenses: "22",
      tax: "23",
      interest: "24",
      adjustment: "25",
      credit: "26",
    };
    await p.d.store.commit(
      {
        kv: {
          "qbo:items": JSON.stringify(items),
          [TRUST_KV_KEY]: JSON.stringify({ "7": { name: "IOLTA <main>", bank: "91", liability: "92" } }),
        },
      },
      1,
    );
    const text = await p.show();
    assert.match(text, /<td>Service lines<\/td><td>Legal Services \(Clio\)<\/td><td>21<\/td>/);
    assert.match(text, /<td>IOLTA &lt;main&gt; <small>\(Clio 7\)<\/small><\/td><td>91<\/td><td>92<\/td>/);
  });

  it("refuses a save without the session's CSRF token", async () => {
    const p = await settingsPage();
    const response = await p.d.request("/settings", {
      method: "POST",
      cookie: p.cookie,
      body: new URLSearchParams({ conflictPolicy: "qbo-wins", syncIntervalSeconds: "60" }),
    });
    assert.equal(response.status, 403);
    assert.equal(existsSync(dashboardSettingsPath(p.dataDir)), false);
  });

  /** A company as readQboChoices gives it: accounts by type, items with their income account. */
  const company: QboChoices = {
    incomeAccounts: [
      { id: "80", name: "Legal Fees", type: "Income" },
      { id: "81", name: "Services", type: "Income" },
    ],
    firstIncomeAccount: "Services",
    depositAccounts: [
      { id: "35", name: "Checking", type: "Bank" },
      { id: "4", name: "Undeposited Funds", type: "Other Current Asset" },
    ],
    items: [
      { id: "7", name: "Disbursements", type: "Service", incomeAccount: "Legal Fees" },
      { id: "8", name: "Legal Services (Clio)", type: "Service", incomeAccount: "Services" },
    ],
    classes: ["Litigation", "Probate"],
    locations: ["Boston"],
  };
  const baseForm = { conflictPolicy: "latest-wins", syncIntervalSeconds: "300" };

  it("offers the company's accounts as selects and its items as suggestions, the current ones marked", async () => {
    const p = await settingsPage({}, async () => company);
    let text = await p.show();
    assert.match(
      text,
      /<option value="" selected>Not set: the company&#39;s first Income account \(Services\)</,
    );
    assert.match(text, /<option value="81" >Services<\/option>/);
    assert.match(text, /<option value="" selected>Not set: Undeposited Funds/);
    assert.match(text, /<datalist id="qbo-items"><option value="Disbursements">Service<\/option>/);
    assert.match(
      text,
      /<datalist id="qbo-classes"><option value="Litigation"><\/option><option value="Probate">/,
    );
    assert.match(text, /<datalist id="qbo-locations"><option value="Boston">/);
    assert.match(
      text,
      /Service lines[\s\S]*In QuickBooks: a Service item on the income account &quot;Services&quot;/,
    );
    assert.match(
      text,
      /Expense lines[\s\S]*No active QuickBooks item has this name: the next pass creates it/,
    );
    for (const key of ["taxItemName", "interestItemName", "adjustmentItemName", "creditItemName"])
      assert.match(text, new RegExp(`name="${key}"`), key);

    const saved = await p.save({
      ...baseForm,
      qboIncomeAccount: "81",
      qboDepositAccount: "35",
      expensesItemName: "Disbursements",
      taxItemName: "GST (Clio)",
      interestItemName: "Late Interest",
      adjustmentItemName: "Rounding",
      creditItemName: "Credit Notes",
    });
    assert.equal(saved.status, 303);
    const config = loadConfig(p.sources);
    assert.equal(config.qboIncomeAccount, "81", "every command reads it");
    assert.equal(config.qboDepositAccount, "35");
    assert.deepEqual(
      [
        config.expensesItemName,
        config.taxItemName,
        config.interestItemName,
        config.adjustmentItemName,
        config.creditItemName,
      ],
      ["Disbursements", "GST (Clio)", "Late Interest", "Rounding", "Credit Notes"],
    );
    text = await p.show();
    assert.match(text, /<option value="81" selected>Services<\/option>/, "the current account is selected");
    assert.match(text, /<option value="35" selected>Checking<\/option>/);
    assert.match(
      text,
      /Expense lines[\s\S]*In QuickBooks: a Service item on the income account &quot;Legal Fees&quot;/,
    );

    await p.save({ ...baseForm, qboIncomeAccount: "", qboDepositAccount: "" });
    assert.equal(p.stored().qboIncomeAccount, undefined, "not set again: the first Income account");
    assert.equal(p.stored().qboDepositAccount, undefined);
  });

  it("refuses an account the company does not offer with a coded message, keeps what was typed, saves nothing", async () => {
    const p = await settingsPage({}, async () => company);
    const response = await p.save({
      ...baseForm,
      qboIncomeAccount: "35",
      qboDepositAccount: "Gone Account",
      creditItemName: "Credits: old",
    });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.match(text, /<article role="alert" data-code="config_invalid">/);
    assert.match(
      text,
      /Nothing was saved: 3 settings need a change \(“Account payments are deposited to”, “Income account of the items lexbridge creates”, “Credit memo lines”\), marked below; what you typed is kept/,
    );
    assert.match(
      text,
      /<small id="qboIncomeAccount-problem">QuickBooks has no active Income account &quot;35&quot;: choose one of the list/,
    );
    assert.match(
      text,
      /<small id="qboDepositAccount-problem">QuickBooks has no active Bank or Other Current Asset account &quot;Gone Account&quot;/,
    );
    assert.match(text, /<small id="creditItemName-problem">expected no colon/);
    assert.match(
      text,
      /<option value="Gone Account" selected>Gone Account — not an active Bank account in QuickBooks/,
      "kept, marked",
    );
    assert.match(text, /name="creditItemName"[^>]*value="Credits: old"/);
    assert.equal(existsSync(dashboardSettingsPath(p.dataDir)), false);
  });

  it("takes names as text when QuickBooks is not connected or cannot be read, and says why", async () => {
    const off = await settingsPage({}, async () => undefined);
    let text = await off.show();
    assert.match(text, /QuickBooks is not connected yet/);
    assert.match(text, /<input type="text" maxlength="100" id="qboIncomeAccount"/);
    assert.equal((await off.save({ ...baseForm, qboIncomeAccount: "Legal Fees" })).status, 303);
    assert.equal(
      off.stored().qboIncomeAccount,
      "Legal Fees",
      "checked by the engine when it creates an item",
    );

    const failing = await settingsPage({}, async () => {
      throw new Error("QuickBooks answered 503");
    });
    text = await failing.show();
    assert.match(text, /QuickBooks could not be read now \(QuickBooks answered 503\)/);
    assert.match(text, /<input type="text" maxlength="100" id="qboDepositAccount"/);

    // A company that never answers (its rate budget held by a pass) does not hold the page.
    const silent = await settingsPage({}, () => new Promise(() => {}), 20);
    text = await silent.show();
    assert.match(text, /QuickBooks could not be read now \(no answer within 0.02 s\)/);
    assert.equal((await silent.save({ ...baseForm, creditItemName: "Credit Notes" })).status, 303);
  });
});
