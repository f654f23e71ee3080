import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { loadConnection, secretBoxFor } from "../app/connections.ts";
import { EMULATOR_CLIENT } from "../app/providers.ts";
import { type ServeHandle, startServe } from "../cli/commands/serve.ts";
import { silentLogger } from "../core/logger.ts";
import { generateFirm } from "../emulators/generator/index.ts";
import { launchChromium } from "../testing/browser.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { Screenshots } from "../testing/screenshots.ts";

const PASSWORD = "connect test password";
/** The initial sync of the small generated firm takes seconds; this bound only ends a hung test. */
const SYNC_BOUND_MS = 45_000;

/**
 * Connecting Clio and QuickBooks from the dashboard through the emulators' consent pages (as a
 * person does: no auto-approve), the redirect landing on serve's own /oauth/callback, the initial
 * sync watched live on the page (server-sent events), a refused consent and a forged callback
 * shown with the catalogue's words, and disconnecting both. Each emulator has the app registered
 * with serve's redirect URI only, like a real app. The tests run in order: each builds on the
 * connections the one before made.
 */
describe("connecting from the dashboard in a real browser", () => {
  let pair: EmulatorPair;
  let serve: ServeHandle;
  let browser: Browser;
  let shots: Screenshots;

  before(async () => {
    shots = new Screenshots();
    const firm = generateFirm({ size: "small", seed: 2 });
    pair = await startEmulatorPair({
      clio: { firm, autoApprove: false },
      qbo: { seed: firm.qbo, autoApprove: false },
    });
    serve = await startServe({ ...pair.config, port: 0, syncIntervalSeconds: 3600 }, silentLogger, {
      host: "127.0.0.1",
      adminPassword: PASSWORD,
    });
    await serve.runner.whenIdle(); // the first pass fails: nothing is connected yet
    await pair.clioAdmin("POST", "/apps", {
      client_id: EMULATOR_CLIENT.id,
      client_secret: EMULATOR_CLIENT.secret,
      redirect_uris: [serve.redirectUri],
      require_registered: true,
    });
    await pair.qboAdmin("POST", "/apps", {
      clientId: EMULATOR_CLIENT.id,
      clientSecret: EMULATOR_CLIENT.secret,
      redirectUris: [serve.redirectUri],
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    shots?.close();
    await serve?.stop();
    await pair?.close();
  });

  const loggedIn = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${serve.url}${path}`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${serve.url}${path}`);
    return page;
  };

  const qboConnection = () => loadConnection(serve.store, secretBoxFor(pair.config), "qbo");
  const clioConnection = () => loadConnection(serve.store, secretBoxFor(pair.config), "clio");

  /** From Connections to the emulator's consent page and back, answering `decision`. */
  const answerConsent = async (
    page: Page,
    decision: "Connect" | "Cancel",
    provider: "qbo" | "clio" = "qbo",
  ) => {
    await page.locator(`a[href="/connections/${provider}/connect"]`).click();
    await page.waitForURL((url) => url.href.startsWith(pair[provider].url));
    await page.getByRole("button", { name: decision }).click();
  };

  it("connects Clio through its consent page", async () => {
    const page = await loggedIn("/connections");
    assert.match((await page.locator("#connection-clio").textContent()) ?? "", /Not connected/);
    await answerConsent(page, "Connect", "clio");
    await page.waitForURL(`${serve.url}/connections?connected=clio`);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Connected to Clio/);
    const card = (await page.locator("#connection-clio").textContent()) ?? "";
    assert.match(card, /Connected/);
    assert.match(card, /Emulated Law Firm LLP/, "the firm's name, read at the callback");
    const stored = await clioConnection();
    assert.ok(stored, "the tokens are stored");
    const whoAmI = await fetch(`${pair.clio.url}/api/v4/users/who_am_i`, {
      headers: { Authorization: `Bearer ${stored.tokens.accessToken}` },
    });
    assert.equal(whoAmI.status, 200, "the stored access token works at Clio");
    await whoAmI.body?.cancel();
    // The pass the connection started fails (QuickBooks is not connected yet); the next test's waits.
    await serve.runner.whenIdle();
    await page.context().close();
  });

  it("shows a refused consent with the catalogue's title and fix, and stores nothing", async () => {
    const page = await loggedIn("/connections");
    const before = await qboConnection();
    await answerConsent(page, "Cancel");
    await page.waitForURL(/\/oauth\/callback\?/);
    const alert = page.getByRole("alert");
    assert.match((await alert.textContent()) ?? "", /Access was not granted/);
    assert.match((await alert.textContent()) ?? "", /error=access_denied/);
    assert.match((await alert.textContent()) ?? "", /Fix:/);
    assert.deepEqual(await qboConnection(), before, "nothing stored");
    await page.getByRole("link", { name: "Back to Connections" }).click();
    await page.waitForURL(`${serve.url}/connections`);
    await page.context().close();
  });

  it("refuses a callback whose state it never issued (oauth_state_mismatch)", async () => {
    const page = await loggedIn("/connections");
    const response = await page.goto(`${serve.redirectUri}?state=forged&code=x&realmId=1`);
    assert.equal(response?.status(), 400);
    assert.equal(await page.locator("[data-code]").getAttribute("data-code"), "oauth_state_mismatch");
    await page.context().close();
  });

  it("connects QuickBooks through the consent page; the initial sync is watched until done", async () => {
    const page = await loggedIn("/connections");
    assert.match((await page.locator("#connection-qbo").textContent()) ?? "", /Not connected/);
    await answerConsent(page, "Connect");
    await page.waitForURL(`${serve.url}/connections?connected=qbo`);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Connected to QuickBooks Online/);
    assert.equal((await qboConnection())?.realmId, pair.qbo.defaultRealmId);
    await page.locator("#progress[data-state=done]").waitFor({ timeout: SYNC_BOUND_MS });
    const shown = (await page.locator("#progress").textContent()) ?? "";
    assert.match(shown, /Done/);
    const view = serve.live.view();
    assert.ok(view.recordsRead > 0 && view.writesDone > 0, JSON.stringify(view));
    assert.match(shown, new RegExp(`Read ${view.recordsRead.toLocaleString("en-US")} Clio records`));
    await page.reload();
    assert.match((await page.locator("#connection-qbo").textContent()) ?? "", /Connected/);
    assert.match((await page.locator("#connection-clio").textContent()) ?? "", /Connected/);
    // The headroom the initial sync left in each rate budget (QuickBooks: its four lanes).
    const qboCard = (await page.locator("#connection-qbo").textContent()) ?? "";
    assert.match(qboCard, /Rate budget\s*\d+ of 500 requests free now \(500 a minute\)/);
    assert.match(qboCard, /\d+ of 40 batch calls free now \(40 a minute\)/);
    assert.match(qboCard, /\d+ of 460 single writes free now \(460 a minute\)/);
    assert.match(
      (await page.locator("#connection-clio").textContent()) ?? "",
      /Rate budget\s*[\d,]+ of [\d,]+ requests free now/,
    );
    await shots.take(page, "connected-from-dashboard");
    await page.context().close();
  });

  it("follows a pass on Sync Status without reloading: running with counts, then done", async () => {
    if (!(await qboConnection())) assert.fail("needs the connection made by the test before");
    const page = await loggedIn("/status");
    await page.locator("#progress[data-state=done]").waitFor();
    // Hold the pass's first QuickBooks request, so that the page is seen mid-pass.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    pair.qbo.emulator.core.requests.listener = () => held;
    try {
      void serve.runner.runNow();
      await page.locator("#progress[data-state=running]").waitFor();
      assert.match((await page.locator("#progress [data-field=label]").textContent()) ?? "", /\S/);
      await shots.take(page, "live-progress", { fullPage: false });
    } finally {
      pair.qbo.emulator.core.requests.listener = undefined;
      release();
    }
    await page.locator("#progress[data-state=done]").waitFor({ timeout: SYNC_BOUND_MS });
    await page.context().close();
  });

  it("disconnects QuickBooks: revoked at the emulator, forgotten here", async () => {
    const page = await loggedIn("/connections");
    const stored = await qboConnection();
    if (!stored) assert.fail("needs the connection made by the test before");
    await page.locator("#connection-qbo").getByRole("button", { name: "Disconnect QuickBooks" }).click();
    await page.waitForURL(`${serve.url}/connections?disconnected=qbo`);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Disconnected from QuickBooks Online/);
    assert.match((await page.locator("#connection-qbo").textContent()) ?? "", /Not connected/);
    assert.equal(await qboConnection(), undefined);
    const refresh = await fetch(`${pair.qbo.url}/oauth2/v1/tokens/bearer`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`${EMULATOR_CLIENT.id}:${EMULATOR_CLIENT.secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: stored.tokens.refreshToken }),
    });
    assert.equal(refresh.status, 400, "the revoked refresh token is refused");
    await page.context().close();
  });

  it("disconnects Clio: deauthorized at the emulator, forgotten here", async () => {
    const page = await loggedIn("/connections");
    const stored = await clioConnection();
    if (!stored) assert.fail("needs the connection made by the first test");
    await page.locator("#connection-clio").getByRole("button", { name: "Disconnect Clio" }).click();
    await page.waitForURL(`${serve.url}/connections?disconnected=clio`);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Disconnected from Clio/);
    assert.match((await page.locator("#connection-clio").textContent()) ?? "", /Not connected/);
    assert.equal(await clioConnection(), undefined);
    const whoAmI = await fetch(`${pair.clio.url}/api/v4/users/who_am_i`, {
      headers: { Authorization: `Bearer ${stored.tokens.accessToken}` },
    });
    assert.equal(whoAmI.status, 401, "the deauthorized access token is refused");
    await whoAmI.body?.cancel();
    await page.context().close();
  });
});
