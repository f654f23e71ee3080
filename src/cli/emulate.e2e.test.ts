import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;
const EMPTY_FIRM_ON_FREE_PORTS = ["--clio-port", "0", "--qbo-port", "0", "--firm", "empty"];

/** Starts `lexbridge emulate` and reads the first JSON document it prints. */
function startEmulate(
  args: string[],
): Promise<{ info: Record<string, any>; stderr(): string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "emulate", "--json", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.stdout.on("data", (d) => {
      out += d;
      try {
        const info = JSON.parse(out) as Record<string, any>;
        resolve({
          info,
          stderr: () => err,
          stop: () =>
            new Promise((done) => {
              child.on("exit", (code) => done(code));
              child.kill("SIGINT");
            }),
        });
      } catch {
        // not the whole document yet
      }
    });
    child.on("exit", (code) => reject(new Error(`emulate exited early with ${code}: ${out}${err}`)));
  });
}

describe("lexbridge emulate", () => {
  it("serves both emulators on the given ports, prints their URLs and the default realm, and stops on SIGINT", async () => {
    const running = await startEmulate([
      "--clio-port",
      "0",
      "--qbo-port",
      "0",
      "--firm",
      "small",
      "--seed",
      "2",
    ]);
    const { clio, qbo } = running.info;
    assert.match(clio.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(qbo.realmId, /^\d+$/);
    const token = (await (
      await fetch(`${clio.baseUrl}/__admin/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as {
      access_token: string;
    };
    const bills = await fetch(`${clio.baseUrl}/api/v4/bills.json?fields=id,number`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    assert.equal(bills.status, 200);
    assert.ok(((await bills.json()) as { data: unknown[] }).data.length > 0, "the small firm is loaded");
    const qboTokens = (await (
      await fetch(`${qbo.baseUrl}/__admin/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as {
      access_token: string;
    };
    const info = await fetch(`${qbo.baseUrl}/v3/company/${qbo.realmId}/companyinfo/${qbo.realmId}`, {
      headers: { authorization: `Bearer ${qboTokens.access_token}`, accept: "application/json" },
    });
    assert.equal(info.status, 200);
    assert.equal(await running.stop(), 0);
  });

  it("off loopback, warns and puts both admin APIs behind the admin token", async () => {
    const running = await startEmulate(["--host", "0.0.0.0", ...EMPTY_FIRM_ON_FREE_PORTS]);
    try {
      const token = running.info.adminToken as string;
      assert.match(token, /^[\w-]{24,}$/, "a generated token is printed");
      assert.match(running.stderr(), /warning: the emulators listen on 0\.0\.0\.0.*Authorization: Bearer/);
      for (const base of [running.info.clio.baseUrl, running.info.qbo.baseUrl] as string[]) {
        const local = base.replace("0.0.0.0", "127.0.0.1");
        const mint = (headers: Record<string, string>) =>
          fetch(`${local}/__admin/tokens`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: "{}",
          });
        assert.equal((await mint({})).status, 401, `${base}: no token`);
        assert.equal((await mint({ authorization: "Bearer wrong" })).status, 401, `${base}: wrong token`);
        const minted = await mint({ authorization: `Bearer ${token}` });
        assert.ok(minted.ok, `${base}: the admin token (${minted.status})`);
        const { access_token } = (await minted.json()) as { access_token: string };
        assert.ok(access_token, "the admin API works with the token");
      }
    } finally {
      assert.equal(await running.stop(), 0);
    }
  });

  it("takes a given --admin-token, also on loopback", async () => {
    const running = await startEmulate([...EMPTY_FIRM_ON_FREE_PORTS, "--admin-token", "s3cret-admin"]);
    try {
      assert.equal(running.info.adminToken, "s3cret-admin");
      assert.doesNotMatch(running.stderr(), /warning/, "loopback: no warning");
      const exportState = (headers: Record<string, string>) =>
        fetch(`${running.info.clio.baseUrl}/__admin/export`, { headers });
      assert.equal((await exportState({})).status, 401);
      assert.equal((await exportState({ authorization: "Bearer s3cret-admin" })).status, 200);
    } finally {
      assert.equal(await running.stop(), 0);
    }
  });
});
