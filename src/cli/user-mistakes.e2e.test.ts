import assert from "node:assert/strict";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { freePort, runCli } from "../testing/cli-process.ts";
import { startEmulatorPair } from "../testing/emulator-pair.ts";
import { testDatabaseUrl } from "../testing/postgres-schema.ts";

/**
 * Issue 11: every mistake a person can make on the command line ends with `lexbridge: [code]
 * message` and a fix, a non-zero exit, and no stack trace — through the real binary.
 */
const root = mkdtempSync(join(tmpdir(), "lexbridge-mistakes-"));
const dir = (name: string) => join(root, name);
after(() => rmSync(root, { recursive: true, force: true }));

const STACK_LINE = /^\s+at /m;

async function expectCoded(
  args: string[],
  code: string,
  options: { env?: Record<string, string>; exit?: number; message?: RegExp } = {},
) {
  const run = await runCli(args, { LEXBRIDGE_LOG_LEVEL: "", ...options.env });
  const shown = `${run.stdout}${run.stderr}`;
  assert.notEqual(run.code, 0, `exit code of ${args.join(" ")}`);
  if (options.exit !== undefined) assert.equal(run.code, options.exit, shown);
  assert.match(run.stderr, new RegExp(`^lexbridge: \\[${code}\\] `, "m"), shown);
  assert.match(run.stderr, /^ {2}fix: \S/m, shown);
  assert.doesNotMatch(shown, STACK_LINE, "no stack trace line");
  if (options.message) assert.match(run.stderr, options.message);
  return run;
}

describe("a person's mistakes end with a coded message, a fix and no stack", () => {
  it("an unreachable address (connection refused)", async () => {
    const [clio, qbo] = [await freePort(), await freePort()];
    await expectCoded(
      [
        "sync",
        "--once",
        "--clio-base-url",
        `http://127.0.0.1:${clio}`,
        "--qbo-base-url",
        `http://127.0.0.1:${qbo}`,
        "--data-dir",
        dir("refused"),
      ],
      "http_network",
      { message: /127\.0\.0\.1:\d+.*ECONNREFUSED/ },
    );
  });

  it("a mistyped host (no such name)", async () => {
    await expectCoded(
      [
        "sync",
        "--once",
        "--clio-base-url",
        "http://clio.nosuch.invalid",
        "--qbo-base-url",
        "http://qbo.nosuch.invalid",
        "--data-dir",
        dir("mistyped"),
      ],
      "http_network",
      { message: /nosuch\.invalid/ },
    );
  });

  it("an address that stops answering after connecting (the sync's own HTTP stack, after its retries)", async () => {
    const pair = await startEmulatorPair();
    const first = await runCli(["sync", "--once", ...pair.cliFlags]);
    assert.equal(first.code, 0, first.stderr);
    await pair.close();
    await expectCoded(["sync", "--once", ...pair.cliFlags], "http_retries_exhausted", {
      exit: 1,
      message: /http:\/\/127\.0\.0\.1:\d+\/.*ECONNREFUSED/,
    });
    await expectCoded(["disconnect", "clio", ...pair.cliFlags], "http_network", {
      message: /ECONNREFUSED.*lexbridge disconnect clio --local-only/,
    });
  });

  it("the default addresses without a connection", async () => {
    await expectCoded(["sync", "--once", "--data-dir", dir("defaults")], "config_invalid", {
      exit: 2,
      message: /qboClientId/,
    });
    await expectCoded(
      [
        "sync",
        "--once",
        "--data-dir",
        dir("defaults"),
        "--qbo-client-id",
        "id",
        "--qbo-client-secret",
        "secret",
        "--clio-client-id",
        "id",
        "--clio-client-secret",
        "secret",
      ],
      "auth_not_connected",
      { exit: 2 },
    );
  });

  it("a data directory that cannot be created (a file in its path)", async () => {
    writeFileSync(dir("a-file"), "");
    await expectCoded(["status", "--data-dir", join(dir("a-file"), "data")], "store_unavailable", {
      exit: 2,
      message: /ENOTDIR/,
    });
  });

  it("a database file that cannot be opened", async () => {
    mkdirSync(join(dir("db-is-a-dir"), "lexbridge.db"), { recursive: true });
    await expectCoded(["status", "--data-dir", dir("db-is-a-dir")], "store_unavailable", {
      message: /unable to open database file/,
    });
  });

  it("a lexbridge.db that is not a database", async () => {
    mkdirSync(dir("not-a-db"));
    writeFileSync(join(dir("not-a-db"), "lexbridge.db"), "these are someone's notes\n".repeat(200));
    await expectCoded(["status", "--data-dir", dir("not-a-db")], "store_corrupt", {
      message: /file is not a database/,
    });
  });

  it("a damaged lexbridge.db", async () => {
    const made = await runCli(["status", "--data-dir", dir("damaged")]);
    assert.equal(made.code, 0, made.stderr);
    const fd = openSync(join(dir("damaged"), "lexbridge.db"), "r+");
    writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, 100); // the schema page, past the file header
    closeSync(fd);
    await expectCoded(["status", "--data-dir", dir("damaged")], "store_corrupt", {
      message: /malformed/,
    });
  });

  it("a --database-url whose server does not answer, without showing its password", async () => {
    const port = await freePort();
    const run = await expectCoded(
      [
        "status",
        "--database-url",
        `postgres://lexbridge:s3cret@127.0.0.1:${port}/lexbridge`,
        "--data-dir",
        dir("pg"),
      ],
      "database_unavailable",
      { exit: 2, message: /postgres:\/\/lexbridge:\*\*\*@127\.0\.0\.1:\d+\/lexbridge: .*ECONNREFUSED/ },
    );
    assert.doesNotMatch(`${run.stdout}${run.stderr}`, /s3cret/);
  });

  it("a --database-url naming a database the server does not have", async () => {
    const url = new URL(testDatabaseUrl);
    url.pathname = "/lexbridge_no_such_database";
    await expectCoded(
      ["status", "--database-url", url.toString(), "--data-dir", dir("pg-missing")],
      "database_unavailable",
      { exit: 2, message: /does not exist/ },
    );
  });

  it("a word where a number belongs", async () => {
    await expectCoded(["audit", "--limit", "abc", "--data-dir", dir("audit")], "usage_invalid", {
      exit: 2,
      message: /--limit.*'abc'.*lexbridge audit --help/,
    });
    await expectCoded(["audit", "--after", "-1", "--data-dir", dir("audit")], "usage_invalid");
    await expectCoded(["emulate", "--clio-port", "abc"], "usage_invalid");
    await expectCoded(["emulate", "--seed", "abc"], "usage_invalid");
    await expectCoded(["demo", "--interval", "5"], "usage_invalid", { message: /10 or more/ });
  });

  it("an unknown command or option, a missing or wrong argument", async () => {
    await expectCoded(["synk"], "usage_invalid", { exit: 2, message: /unknown command 'synk'/ });
    await expectCoded(["status", "--everything"], "usage_invalid", {
      message: /unknown option '--everything'.*lexbridge status --help/,
    });
    await expectCoded(["match", "accept"], "usage_invalid", { message: /lexbridge match accept --help/ });
    await expectCoded(["connect", "xero"], "usage_invalid", { message: /clio or qbo/ });
    await expectCoded(["resync", "--data-dir", dir("resync")], "usage_invalid");
    await expectCoded(["demo", "--size", "huge"], "usage_invalid");
  });

  it("a bad config file, environment value or port", async () => {
    await expectCoded(["status", "--config", dir("missing.json")], "config_invalid", { exit: 2 });
    writeFileSync(dir("broken.json"), "{ dataDir: ");
    await expectCoded(["status", "--config", dir("broken.json")], "config_invalid");
    await expectCoded(["status", "--data-dir", dir("env")], "config_invalid", {
      env: { LEXBRIDGE_HTTP_TIMEOUT_MS: "soon" },
      message: /httpTimeoutMs/,
    });
    await expectCoded(["status", "--port", "99999", "--data-dir", dir("port")], "config_invalid");
  });

  it("a bad setting found after the demo started its emulators ends the process too", {
    timeout: 60_000,
  }, async () => {
    await expectCoded(["demo", "--once", "--data-dir", dir("demo")], "config_invalid", {
      env: { LEXBRIDGE_LOG_LEVEL: "loud" },
      message: /logLevel/,
    });
  });

  it("an emulator address that cannot be listened on", async () => {
    await expectCoded(
      ["emulate", "--host", "nosuch.invalid", "--clio-port", "0", "--qbo-port", "0"],
      "emulator_listen_failed",
      { exit: 2 },
    );
  });
});
