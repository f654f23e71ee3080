import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";

const bin = new URL("../../bin/lexbridge.js", import.meta.url).pathname;

/** Starts `lexbridge emulate` and reads the first JSON document it prints. */
function startEmulate(
  args: string[],
): Promise<{ info: Record<string, any>; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "emulate", "--json", ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      try {
        const info = JSON.parse(out) as Record<string, any>;
        resolve({
          info,
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
    child.on("exit", (code) => reject(new Error(`emulate exited early with ${code}: ${out}`)));
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
});
