import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { type ServeHandle, startServe } from "../cli/commands/serve.ts";
import { silentLogger } from "../core/logger.ts";
import { launchChromium } from "../testing/browser.ts";
import { buildDashboardFirm, deleteQboInvoice, qboInvoice } from "../testing/dashboard-firm.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { Screenshots } from "../testing/screenshots.ts";

const PASSWORD = "dashboard test password";

/**
 * `lexbridge serve` in-process against both emulators, driven by a real chromium: the login, the
 * CSRF refusal, Sync Status with a re-sync, match review, Reconciliation, the audit log, Settings
 * and Connections. Each test opens its own
 * browser context, so each can run alone; the screenshots in docs/screenshots/ come from here
 * (`npm run screenshots`).
 */
describe("dashboard in a real browser", () => {
  let pair: EmulatorPair;
  let serve: ServeHandle;
  let browser: Browser;
  let shots: Screenshots;
  let firm: Awaited<ReturnType<typeof buildDashboardFirm>>;
  let deletedInvoiceId: string;

  before(async () => {
    shots = new Screenshots();
    pair = await startEmulatorPair();
    firm = await buildDashboardFirm(pair);
    // One pass at start; the hour-long interval keeps every later pass in the test's hands.
    serve = await startServe({ ...pair.config, port: 0, syncIntervalSeconds: 3600 }, silentLogger, {
      host: "127.0.0.1",
      adminPassword: PASSWORD,
    });
    await serve.runner.whenIdle();
    // A bookkeeper deletes Dan's invoice in QuickBooks; the next pass lists the broken link.
    deletedInvoiceId = String(qboInvoice(pair, "D-1")?.Id);
    await deleteQboInvoice(pair, "D-1");
    await serve.runner.runNow();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    shots?.close();
    await serve?.stop();
    await pair?.close();
  });

  const openPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    return context.newPage();
  };

  const loggedIn = async (): Promise<Page> => {
    const page = await openPage();
    await page.goto(`${serve.url}/login`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${serve.url}/status`);
    return page;
  };

  it("sends an anonymous visitor of any page to the login", async () => {
    const page = await openPage();
    for (const path of ["/status", "/matches", "/reconciliation", "/audit", "/settings", "/connections"]) {
      await page.goto(`${serve.url}${path}`);
      assert.equal(new URL(page.url()).pathname, "/login", path);
      assert.equal(new URL(page.url()).searchParams.get("next"), path);
    }
    await shots.take(page, "login", { fullPage: false });
    await page.context().close();
  });

  it("refuses a wrong password and lets the right one in", async () => {
    const page = await openPage();
    await page.goto(`${serve.url}/status`);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Log in" }).click();
    assert.equal(await page.getByRole("alert").textContent(), "Wrong user or password.");
    assert.equal(new URL(page.url()).pathname, "/login");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${serve.url}/status`);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Sync Status");
    await page.context().close();
  });

  it("refuses a form posted without its CSRF token (403), and the session lives on", async () => {
    const page = await loggedIn();
    await page.locator('form[action="/logout"] input[name="_csrf"]').evaluate((input) => input.remove());
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/logout")),
      page.getByRole("button", { name: "Log out" }).click(),
    ]);
    assert.equal(response.status(), 403);
    await page.goto(`${serve.url}/connections`);
    assert.equal(new URL(page.url()).pathname, "/connections", "still logged in");
    await page.context().close();
  });

  it("lists the broken link on Sync Status; re-syncing re-creates the invoice and the item leaves", async () => {
    const page = await loggedIn();
    await page.getByLabel("Code").selectOption("sync_link_broken");
    await page.getByRole("button", { name: "Filter" }).click();
    const items = page.locator("article[data-code]");
    assert.equal(await items.count(), 1, "the filter keeps one item");
    const item = items.first();
    assert.match((await item.textContent()) ?? "", new RegExp(`QuickBooks invoice ${deletedInvoiceId} `));
    assert.match((await item.textContent()) ?? "", /Fix:/);
    await page.goto(`${serve.url}/status`);
    await shots.take(page, "sync-status");
    await page
      .locator("article[data-code=sync_link_broken]")
      .getByRole("button", { name: "Re-sync this item" })
      .click();
    await page.waitForURL(/\/status\?done=item/);
    assert.equal(await page.getByRole("status").textContent(), "The item was re-synced.");
    assert.equal(await page.locator("article[data-code=sync_link_broken]").count(), 0);
    assert.equal(qboInvoice(pair, "D-1")?.TotalAmt, 120, "the invoice is in QuickBooks again");
    await page.context().close();
  });

  it("shows a near match with both records side by side; accepting links the client", async () => {
    const page = await loggedIn();
    await page.getByRole("link", { name: "Match review" }).click();
    const match = page.locator(`#match-${firm.carol}`);
    const text = (await match.textContent()) ?? "";
    assert.match(text, /carol@example\.test/, "the Clio side");
    assert.match(text, /carol\.near@home\.test/, "the QuickBooks side");
    await shots.take(page, "match-review");
    await match.getByRole("button", { name: /^Accept/ }).click();
    await page.waitForURL(/\/matches\?done=accepted/);
    assert.equal(await page.locator(`#match-${firm.carol}`).count(), 0);
    assert.equal((await serve.store.getLink("customer", firm.carol))?.qboId, firm.carolQboId);
    assert.equal(
      (qboInvoice(pair, "C-1")?.CustomerRef as { value?: string } | undefined)?.value,
      firm.carolQboId,
      "Carol's invoice is on the customer she was matched with",
    );
    await page.context().close();
  });

  it("shows the reconciliation and reconciles again, searches the audit log, saves a setting", async () => {
    const page = await loggedIn();
    await page.getByRole("link", { name: "Reconciliation" }).click();
    assert.match(
      (await page.locator("main").textContent()) ?? "",
      /Report of [\s\S]* across \d+ client\(s\)/,
    );
    await page.getByRole("button", { name: "Reconcile now" }).click();
    await page.waitForURL(/\/reconciliation\?done=ran/);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Reconciliation finished/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^reconciliation-\d{4}-\d{2}-\d{2}\.csv$/);
    await shots.take(page, "reconciliation");

    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByLabel("Client name").fill("dan");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/audit\?.*client=dan/);
    const entries = page.locator("article[data-outcome]");
    assert.ok((await entries.count()) >= 2, "Dan's customer and invoice, at least");
    for (const text of await entries.allTextContents()) assert.match(text, /Dan Broken/);
    await shots.take(page, "audit-log");

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Seconds between sync passes").fill("5");
    await page.getByLabel("Credit memo lines").fill("Credits: old");
    await page.getByRole("button", { name: "Save" }).click();
    assert.equal(await page.getByRole("alert").getAttribute("data-code"), "config_invalid");
    assert.match(
      (await page.getByRole("alert").textContent()) ?? "",
      /Nothing was saved: 2 settings need a change/,
    );
    assert.match(
      (await page.locator("#syncIntervalSeconds-problem").textContent()) ?? "",
      /expected number to be >=10/,
    );
    assert.match((await page.locator("#creditItemName-problem").textContent()) ?? "", /expected no colon/);
    assert.equal(
      await page.getByLabel("Credit memo lines").inputValue(),
      "Credits: old",
      "what was typed stays",
    );
    await page.getByLabel("Seconds between sync passes").fill("3600");
    await page.getByLabel("Credit memo lines").fill("Credits (Clio)");
    await page.getByLabel("When a contact field changed on both sides").selectOption("clio-wins");
    // The company's Income accounts, read from QuickBooks; the new items go to the one chosen.
    await page
      .getByLabel("Income account of the items lexbridge creates")
      .selectOption({ label: "Billable Expense Income" });
    await page.getByLabel("Service lines").fill("Professional Fees (Clio)");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/settings\?saved=1/);
    const saved = JSON.parse(readFileSync(join(pair.config.dataDir, "settings.json"), "utf8"));
    assert.equal(saved.conflictPolicy, "clio-wins");
    const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
    const account = Object.values(realm.records.Account ?? {}).find(
      (r) => r.data.Name === "Billable Expense Income",
    );
    assert.equal(saved.qboIncomeAccount, account?.id, "the chosen account, by id");
    await serve.runner.runNow();
    const item = Object.values(realm.records.Item ?? {}).find(
      (r) => r.data.Name === "Professional Fees (Clio)",
    );
    assert.ok(item, "the next pass used the renamed item");
    assert.equal(
      (item.data.IncomeAccountRef as { value: string }).value,
      account?.id,
      "created on the chosen income account",
    );
    await page.reload();
    await shots.take(page, "settings");
    await page.context().close();
  });

  it("shows both providers connected on Connections", async () => {
    const page = await loggedIn();
    await page.getByRole("link", { name: "Connections" }).click();
    for (const provider of ["clio", "qbo"]) {
      assert.match(
        (await page.locator(`#connection-${provider}`).textContent()) ?? "",
        /Connected/,
        provider,
      );
    }
    // The first pass read every stream to its end: each shows that pass's time, none "never read".
    const clio = (await page.locator("#connection-clio").textContent()) ?? "";
    assert.match(clio, /Last complete read\s*Contacts: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(clio, /Trust movements: \d{4}-\d\d-\d\d/);
    assert.doesNotMatch(clio, /never read/);
    assert.match(
      (await page.locator("#connection-qbo").textContent()) ?? "",
      /change feed\): \d{4}-\d\d-\d\d/,
    );
    await shots.take(page, "connections");
    await page.context().close();
  });
});
