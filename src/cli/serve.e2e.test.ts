import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LOCK_FILE } from "../app/data-dir-lock.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { runCli, startCli } from "../testing/cli-process.ts";
import { type EmulatorPair, startEmulatorPair } from "../testing/emulator-pair.ts";
import { verifyPassword } from "../web/password-hash.ts";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

/** `lexbridge admin set-password` with the password piped on stdin, as a script would. */
async function setPasswordPiped(flags: string[], password: string) {
  const child = spawn(process.execPath, [bin, "admin", "set-password", ...flags], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdin.end(`${password}\n`);
  const [code] = await once(child, "exit");
  return { code: code as number | null, stderr };
}

describe("`lexbridge serve` and `lexbridge admin set-password` as processes", () => {
  let pair: EmulatorPair;
  let flags: string[];
  before(async () => {
    pair = await startEmulatorPair();
    flags = [...pair.cliFlags, "--port", "0", "--sync-interval-seconds", "3600"];
  });
  after(async () => pair?.close());

  it("refuses to start without an admin password, with the code and the fix", async () => {
    const run = await runCli(["serve", ...flags], { LEXBRIDGE_ADMIN_PASSWORD: "" });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^lexbridge: \[web_admin_password_missing\] /);
    assert.match(run.stderr, /fix: Set one: `lexbridge admin set-password`/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  });

  it("sets the password from stdin; a short one is refused and nothing is stored", async () => {
    const weak = await setPasswordPiped(pair.cliFlags, "short");
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /\[web_password_weak\]/);
    const good = await setPasswordPiped(pair.cliFlags, "piped password 42");
    assert.equal(good.code, 0, good.stderr);
    const store = new SqliteStore(join(pair.config.dataDir, "lexbridge.db"));
    const stored = await store.getWebPassword("admin");
    await store.close();
    assert.equal(await verifyPassword("piped password 42", stored!), true);
  });

  it("serves on 127.0.0.1: /healthz public, pages behind the login; SIGTERM stops it cleanly", async () => {
    const serve = startCli(["serve", ...flags], { LEXBRIDGE_ADMIN_PASSWORD: "from the environment 1" });
    const line = await serve.firstLine;
    const url = /Dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    assert.ok(url, line);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    const page = await fetch(`${url}/status`, { redirect: "manual" });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get("location"), "/login?next=%2Fstatus");
    serve.child.kill("SIGTERM");
    const done = await serve.done;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(existsSync(join(pair.config.dataDir, LOCK_FILE)), false, "the data dir's lock is released");
  });
});
