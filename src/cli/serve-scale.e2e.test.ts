import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretBox } from "../core/secret-box.ts";
import { runCli, startCli } from "../testing/cli-process.ts";
import { createTestSchema, type TestSchema, testDatabaseUrl } from "../testing/postgres-schema.ts";
import { schemaUrl } from "../testing/scale-firms.ts";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

/** `lexbridge <args>` with a password piped on stdin, as a script adding users would. */
async function runPiped(args: string[], env: Record<string, string>, input: string) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdin.end(`${input}\n`);
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}

describe("`lexbridge serve` with DATABASE_URL: scale mode's dashboard, and its users from the CLI", () => {
  let schema: TestSchema;
  let env: Record<string, string>;
  before(async () => {
    schema = await createTestSchema();
    env = {
      DATABASE_URL: schemaUrl(testDatabaseUrl, schema.name),
      LEXBRIDGE_SECRET_KEY: SecretBox.generateKey(),
      LEXBRIDGE_DATA_DIR: mkdtempSync(join(tmpdir(), "lexbridge-serve-scale-")),
      LEXBRIDGE_LOG_LEVEL: "silent",
    };
  });
  after(() => schema.drop());

  it("adds a firm's user, serves every firm with the admin from the environment, and shows the user its firm", async () => {
    assert.equal((await runCli(["firms", "add", "alpha", "--name", "Alpha Law"], env)).code, 0);
    const noRole = await runPiped(["admin", "add-user", "ann"], env, "ann's long password");
    assert.equal(noRole.code, 2);
    assert.match(noRole.stderr, /\[dashboard_user_role_missing\]/);
    const added = await runPiped(["admin", "add-user", "ann", "--firm", "alpha"], env, "ann's long password");
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added ann, a user of firm alpha/);
    const withFirm = await runCli(["serve", "--port", "0", "--firm", "alpha"], env);
    assert.equal(withFirm.code, 2);
    assert.match(withFirm.stderr, /\[serve_firm_given\]/);

    const serve = startCli(["serve", "--port", "0"], {
      ...env,
      LEXBRIDGE_ADMIN_PASSWORD: "the integrator's password",
    });
    const line = await serve.firstLine;
    const url = /Dashboard of every firm: (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    assert.ok(url, line);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { mode: string };
    assert.equal(health.mode, "scale");
    const login = await fetch(`${url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "ann", password: "ann's long password" }),
    });
    assert.equal(login.status, 303, await login.text());
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const home = await fetch(`${url}/`, { redirect: "manual", headers: { Cookie: cookie } });
    assert.equal(home.headers.get("location"), "/firms/alpha/status");
    const status = await fetch(`${url}/firms/alpha/status`, { headers: { Cookie: cookie } });
    assert.equal(status.status, 200);
    assert.match(await status.text(), /Alpha Law/);
    // A firm's form over real HTTP: the body reaches the firm's page through its prefix.
    const settings = await (
      await fetch(`${url}/firms/alpha/settings`, { headers: { Cookie: cookie } })
    ).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(settings)![1]!;
    const saved = await fetch(`${url}/firms/alpha/settings`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ syncIntervalSeconds: "900", _csrf: token }),
    });
    assert.equal(saved.headers.get("location"), "/firms/alpha/settings?saved=1");
    const shown = JSON.parse((await runCli(["firms", "show", "alpha", "--json"], env)).stdout) as {
      settings: Record<string, unknown>;
    };
    assert.equal(shown.settings.syncIntervalSeconds, 900);
    const users = await runCli(["admin", "list-users"], env);
    assert.match(users.stdout, /admin {2}integrator admin \(every firm\)/);
    assert.match(users.stdout, /ann {2}firm alpha/);
    serve.child.kill("SIGTERM");
    const done = await serve.done;
    assert.equal(done.code, 0, done.stderr);
  });
});
