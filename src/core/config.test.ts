import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  describeConfig,
  envName,
  flagName,
  loadConfig,
  parseTaxCodeSetting,
  parseTrustAccountSetting,
} from "./config.ts";
import { isLexError } from "./errors.ts";

describe("config", () => {
  it("derives env var names and flags from the schema keys", () => {
    assert.equal(envName("syncIntervalSeconds"), "LEXBRIDGE_SYNC_INTERVAL_SECONDS");
    assert.equal(flagName("qboRealmId"), "--qbo-realm-id");
    const help = describeConfig().find((h) => h.key === "syncIntervalSeconds");
    assert.equal(help?.defaultValue, 300);
    assert.match(help?.description ?? "", /seconds between/);
    assert.ok(
      describeConfig().every((h) => h.description.length > 0),
      "every setting is described",
    );
  });

  it("applies defaults, then file, then env, then flags", () => {
    const dir = mkdtempSync(join(tmpdir(), "lexbridge-config-"));
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({ syncIntervalSeconds: 60, qboRealmId: "file-realm", logLevel: "warn" }),
    );
    const config = loadConfig({
      file,
      env: { LEXBRIDGE_SYNC_INTERVAL_SECONDS: "120", LEXBRIDGE_QBO_REALM_ID: "env-realm" },
      flags: { qboRealmId: "flag-realm" },
    });
    assert.equal(config.syncIntervalSeconds, 120);
    assert.equal(config.qboRealmId, "flag-realm");
    assert.equal(config.logLevel, "warn");
    assert.equal(config.conflictPolicy, "latest-wins");
  });

  it("reads the database URL from DATABASE_URL too, below LEXBRIDGE_DATABASE_URL and the flag", () => {
    const env = { DATABASE_URL: "postgres://platform/db" };
    assert.equal(loadConfig({ env }).databaseUrl, "postgres://platform/db");
    const own = { ...env, LEXBRIDGE_DATABASE_URL: "postgres://own/db" };
    assert.equal(loadConfig({ env: own }).databaseUrl, "postgres://own/db");
    assert.equal(
      loadConfig({ env: own, flags: { databaseUrl: "postgres://flag/db" } }).databaseUrl,
      "postgres://flag/db",
    );
    assert.equal(loadConfig({ env: {} }).databaseUrl, undefined);
  });

  it("names the setting, its flag and its env var when a value is invalid", () => {
    assert.throws(
      () => loadConfig({ env: { LEXBRIDGE_SYNC_INTERVAL_SECONDS: "soon" } }),
      (e) =>
        isLexError(e, "config_invalid") &&
        /syncIntervalSeconds \(--sync-interval-seconds \/ LEXBRIDGE_SYNC_INTERVAL_SECONDS\)/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ flags: { startDate: "2026-13-01" } }),
      (e) => isLexError(e, "config_invalid"),
    );
  });

  it("reads trustProxy as a boolean from the environment, a flag or the file, and refuses anything else", () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ env: { LEXBRIDGE_TRUST_PROXY: "true" } }).trustProxy, true);
    assert.equal(loadConfig({ flags: { trustProxy: "false" } }).trustProxy, false);
    assert.equal(loadConfig({ flags: { trustProxy: true } }).trustProxy, true);
    assert.throws(
      () => loadConfig({ env: { LEXBRIDGE_TRUST_PROXY: "maybe" } }),
      (e) => isLexError(e, "config_invalid") && /trustProxy .*: expected true or false/.test(e.message),
    );
  });

  it("reads qboTaxCodes as rate=code pairs and refuses another form", () => {
    const config = loadConfig({ env: { LEXBRIDGE_QBO_TAX_CODES: "0=Exempt; 14.975=GST/QST QC" } });
    assert.deepEqual(parseTaxCodeSetting(config.qboTaxCodes!), { "0": "Exempt", "14.975": "GST/QST QC" });
    for (const bad of ["Exempt", "13", "abc=Exempt", "1.2345=GST"])
      assert.throws(
        () => loadConfig({ flags: { qboTaxCodes: bad } }),
        (e) => isLexError(e, "config_invalid") && /qboTaxCodes .*expected rate=code pairs/.test(e.message),
        bad,
      );
  });

  it("reads qboTrustAccounts as clio=bank|liability pairs and refuses another form", () => {
    const config = loadConfig({
      env: {
        LEXBRIDGE_QBO_TRUST_ACCOUNTS: "IOLTA Trust Account=Client Trust|Client Trust Liability; 7=90|91",
      },
    });
    assert.deepEqual(parseTrustAccountSetting(config.qboTrustAccounts!), {
      "IOLTA Trust Account": { bank: "Client Trust", liability: "Client Trust Liability" },
      "7": { bank: "90", liability: "91" },
    });
    for (const bad of ["IOLTA", "IOLTA=Client Trust", "=90|91", "7=90|"])
      assert.throws(
        () => loadConfig({ flags: { qboTrustAccounts: bad } }),
        (e) => isLexError(e, "config_invalid") && /qboTrustAccounts .*expected clio account=/.test(e.message),
        bad,
      );
  });

  it("rejects unknown keys and unreadable files", () => {
    const dir = mkdtempSync(join(tmpdir(), "lexbridge-config-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ syncIntervalSecs: 60 }));
    assert.throws(
      () => loadConfig({ file }),
      (e) => isLexError(e, "config_invalid") && /syncIntervalSecs/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ file: join(dir, "missing.json") }),
      (e) => isLexError(e, "config_invalid"),
    );
    writeFileSync(file, "[1,2]");
    assert.throws(
      () => loadConfig({ file }),
      (e) => isLexError(e, "config_invalid"),
    );
  });
});
