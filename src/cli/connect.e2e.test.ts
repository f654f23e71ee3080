import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort, runCli, startCli } from "../testing/cli-process.ts";
import { answerConsent } from "../testing/consent-form.ts";
import { type RunningEmulators, startEmulators } from "./commands/emulate.ts";

const APP = { clientId: "firm-app", clientSecret: "firm-secret" };

/**
 * `lexbridge connect` end to end, as a person would do it: real processes, emulators that show
 * consent pages and know one registered app with one exact redirect URI, an HTTP client in the
 * role of the browser.
 */
describe("lexbridge connect / disconnect (consent pages, registered app)", () => {
  let emulators: RunningEmulators;
  let redirectUri: string;
  let dataDir: string;
  let flags: string[];

  before(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
    emulators = await startEmulators({
      clioPort: 0,
      qboPort: 0,
      host: "127.0.0.1",
      firm: "small",
      seed: 3,
      quotas: false,
      app: { ...APP, redirectUris: [redirectUri] },
    });
    dataDir = mkdtempSync(join(tmpdir(), "lexbridge-connect-"));
    flags = [
      "--clio-base-url",
      emulators.clioUrl,
      "--qbo-base-url",
      emulators.qboUrl,
      "--clio-client-id",
      APP.clientId,
      "--clio-client-secret",
      APP.clientSecret,
      "--qbo-client-id",
      APP.clientId,
      "--qbo-client-secret",
      APP.clientSecret,
      "--redirect-uri",
      redirectUri,
      "--data-dir",
      dataDir,
      "--log-level",
      "silent",
      "--start-date",
      "2020-01-01",
    ];
  });
  after(async () => emulators?.close());

  /** Starts `connect`, plays the person at the consent page, then follows the redirect to lexbridge. */
  async function connectAs(
    provider: "clio" | "qbo",
    decision: "allow" | "deny",
    extra: string[] = [],
  ): Promise<{ code: number | null; stdout: string; stderr: string; page: string }> {
    const cli = startCli(["connect", provider, ...flags, ...extra]);
    const address = await cli.firstLine;
    const consent = await fetch(address, { redirect: "manual" });
    const answer = await answerConsent(consent, decision);
    assert.equal(answer.status, 302, "the consent page redirects");
    const back = await fetch(answer.headers.get("location")!);
    const page = await back.text();
    return { ...(await cli.done), page };
  }

  it("connects both, syncs, and disconnects", async () => {
    const qbo = await connectAs("qbo", "allow");
    assert.equal(qbo.code, 0, qbo.stderr);
    assert.match(qbo.stderr, new RegExp(`QuickBooks Online company ".+" \\(realmId ${emulators.realmId}`));
    assert.match(qbo.page, /Connected/);

    const clio = await connectAs("clio", "allow");
    assert.equal(clio.code, 0, clio.stderr);
    assert.match(clio.stderr, /Clio Manage firm "Emulated Law Firm LLP" as .+/);

    const sync = await runCli(["sync", "--once", "--json", ...flags]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.ok((JSON.parse(sync.stdout) as { written: { sent: number } }).written.sent > 0);

    const off = await runCli(["disconnect", "qbo", ...flags]);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stderr, /Disconnected from QuickBooks Online company/);
    const revoked = Object.values(emulators.qboEmulator.core.state.oauth.refresh);
    assert.ok(revoked.length > 0 && revoked.every((r) => r.revoked), "every refresh token revoked");

    const after = await runCli(["sync", "--once", ...flags]);
    assert.equal(after.code, 2);
    assert.match(after.stderr, /lexbridge: \[auth_not_connected\] QuickBooks Online is not connected/);
    assert.doesNotMatch(after.stderr, /at .+\.ts:\d+/, "no stack trace");
    assert.equal((await connectAs("qbo", "allow")).code, 0, "reconnects");
  });

  /** Each test starts connected, so any of them can run alone. */
  async function connectBoth() {
    for (const provider of ["qbo", "clio"] as const)
      assert.equal((await connectAs(provider, "allow")).code, 0);
  }

  it("a denied consent, a forged state, a wrong secret and a timeout each end coded, storing nothing", async () => {
    await connectBoth();
    const status = async () => (await runCli(["status", "--each", "--json", ...flags])).stdout;
    const denied = await connectAs("clio", "deny");
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /\[oauth_consent_denied\].*error=access_denied/);
    assert.match(denied.page, /Not connected/);

    const forged = startCli(["connect", "clio", ...flags]);
    await forged.firstLine;
    const page = await fetch(`${redirectUri}?code=stolen&state=forged`);
    assert.equal(page.status, 400);
    const forgedEnd = await forged.done;
    assert.match(forgedEnd.stderr, /\[oauth_state_mismatch\]/);

    const wrong = await connectAs("qbo", "allow", ["--qbo-client-secret", "not-the-secret"]);
    assert.match(wrong.stderr, /\[oauth_client_rejected\]/);

    const slow = await runCli(["connect", "clio", ...flags, "--timeout-seconds", "1"]);
    assert.match(slow.stderr, /\[oauth_timeout\]/);

    // The connections made before are intact: a pass still runs.
    const sync = await runCli(["sync", "--once", ...flags]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.ok(Array.isArray(JSON.parse(await status()).items));
  });

  it("a refresh token revoked at the provider becomes one reconnect item and stops the pass", async () => {
    await connectBoth();
    for (const rec of [
      ...Object.values(emulators.qboEmulator.core.state.oauth.access),
      ...Object.values(emulators.qboEmulator.core.state.oauth.refresh),
    ])
      rec.revoked = true;
    const sync = await runCli(["sync", "--once", ...flags]);
    assert.equal(sync.code, 2);
    assert.match(sync.stderr, /\[auth_refresh_failed\].*QuickBooks Online/);
    const again = await runCli(["sync", "--once", ...flags]);
    assert.equal(again.code, 2);
    const items = JSON.parse((await runCli(["status", "--each", "--json", ...flags])).stdout).items as Array<{
      key: string;
      code: string;
      attempts: number;
    }>;
    const reconnect = items.filter((i) => i.code === "auth_refresh_failed");
    assert.equal(reconnect.length, 1, "one item, however many passes");
    assert.equal(reconnect[0]?.key, "connection:qbo");
    // This time the company gives refresh tokens that live 10 days: status and doctor warn.
    emulators.qboEmulator.core.config.refreshTokenTtlSeconds = 10 * 24 * 3600;
    assert.equal((await connectAs("qbo", "allow")).code, 0);
    const shown = await runCli(["status", ...flags]);
    assert.match(
      shown.stdout,
      /\[WARN\] The QuickBooks refresh token of ".+" expires on \d{4}-\d\d-\d\d \(in 10 days\)/,
    );
    const doctor = await runCli(["doctor", ...flags]);
    assert.match(doctor.stdout, /\[WARN\] The QuickBooks refresh token/);
    const left = JSON.parse((await runCli(["status", "--each", "--json", ...flags])).stdout).items as Array<{
      code: string;
    }>;
    assert.equal(left.filter((i) => i.code === "auth_refresh_failed").length, 0, "resolved by reconnecting");
  });
});

describe("lexbridge connect against the real providers' addresses (no network needed)", () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), "lexbridge-connect-real-"));

  it("qbo in production: appcenter.intuit.com with the client id, redirect URI, accounting scope and a random state", async () => {
    const redirect = `http://localhost:${await freePort()}/oauth/callback`;
    const args = ["connect", "qbo", "--qbo-client-id", "ABcd123", "--qbo-client-secret", "s"];
    const common = ["--redirect-uri", redirect, "--data-dir", dataDir(), "--timeout-seconds", "1"];
    const first = startCli([...args, ...common]);
    const url = new URL(await first.firstLine);
    assert.equal(url.origin + url.pathname, "https://appcenter.intuit.com/connect/oauth2");
    assert.equal(url.searchParams.get("client_id"), "ABcd123");
    assert.equal(url.searchParams.get("redirect_uri"), redirect);
    assert.equal(url.searchParams.get("scope"), "com.intuit.quickbooks.accounting");
    assert.equal(url.searchParams.get("response_type"), "code");
    const state = url.searchParams.get("state") ?? "";
    assert.ok(Buffer.from(state, "base64url").length >= 16, "at least 128 bits");
    assert.match((await first.done).stderr, /\[oauth_timeout\]/);
    const second = startCli([...args, ...common]);
    assert.notEqual(new URL(await second.firstLine).searchParams.get("state"), state);
    await second.done;
  });

  it("clio in region eu: eu.app.clio.com", async () => {
    const redirect = `http://localhost:${await freePort()}/oauth/callback`;
    const cli = startCli([
      "connect",
      "clio",
      "--clio-region",
      "eu",
      "--clio-client-id",
      "key1",
      "--clio-client-secret",
      "s",
      "--redirect-uri",
      redirect,
      "--data-dir",
      dataDir(),
      "--timeout-seconds",
      "1",
    ]);
    const url = new URL(await cli.firstLine);
    assert.equal(url.origin + url.pathname, "https://eu.app.clio.com/oauth/authorize");
    assert.equal(url.searchParams.get("client_id"), "key1");
    await cli.done;
  });

  it("real hosts need the app's credentials: a config error names the settings", async () => {
    const r = await runCli(["connect", "qbo", "--data-dir", dataDir()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\[config_invalid\].*qboClientId \(--qbo-client-id \/ LEXBRIDGE_QBO_CLIENT_ID\)/);
    assert.equal(r.stdout, "", "no address printed");
  });
});
