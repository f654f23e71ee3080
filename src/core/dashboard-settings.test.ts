import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { configOrigins, loadConfig } from "./config.ts";
import {
  dashboardSettingsPath,
  readDashboardSettings,
  writeDashboardSettings,
} from "./dashboard-settings.ts";
import { isLexError } from "./errors.ts";

const dataDir = () => join(mkdtempSync(join(tmpdir(), "lexbridge-settings-")), "data");

describe("the dashboard's settings as a configuration layer", () => {
  it("sit under the config file, the environment and the flags, and over the defaults", () => {
    const dir = dataDir();
    writeDashboardSettings(dir, {
      startDate: "2026-01-01",
      conflictPolicy: "clio-wins",
      syncIntervalSeconds: 60,
    });
    const configFile = join(dir, "..", "config.json");
    writeFileSync(configFile, JSON.stringify({ dataDir: dir, syncIntervalSeconds: 120 }));
    const sources = {
      file: configFile,
      env: { LEXBRIDGE_CONFLICT_POLICY: "qbo-wins" },
      flags: {},
    };
    const config = loadConfig(sources);
    assert.equal(config.startDate, "2026-01-01", "from the dashboard");
    assert.equal(config.conflictPolicy, "qbo-wins", "the environment wins");
    assert.equal(config.syncIntervalSeconds, 120, "the config file wins");
    const origins = configOrigins(sources);
    assert.equal(origins.startDate, "dashboard");
    assert.equal(origins.conflictPolicy, "environment");
    assert.equal(origins.syncIntervalSeconds, "config file");
    assert.equal(origins.logLevel, "default");
    assert.equal(configOrigins({ ...sources, flags: { startDate: "2025-01-01" } }).startDate, "flag");
    assert.equal(
      loadConfig({ flags: { dataDir: dataDir() } }).startDate,
      undefined,
      "another data dir: none",
    );
  });

  it("are written privately and whole, and read back", () => {
    const dir = dataDir();
    assert.deepEqual(readDashboardSettings(dir), {});
    writeDashboardSettings(dir, { conflictPolicy: "clio-wins" });
    assert.deepEqual(readDashboardSettings(dir), { conflictPolicy: "clio-wins" });
    assert.equal(statSync(dashboardSettingsPath(dir)).mode & 0o777, 0o600);
  });

  it("refuse a bad value, naming the file, and a setting the dashboard does not set", () => {
    const dir = dataDir();
    writeDashboardSettings(dir, { syncIntervalSeconds: 5 });
    assert.throws(
      () => loadConfig({ flags: { dataDir: dir } }),
      (e: unknown) =>
        isLexError(e) &&
        e.code === "config_invalid" &&
        e.message.includes(`syncIntervalSeconds (the dashboard's ${dashboardSettingsPath(dir)})`),
    );
    writeFileSync(dashboardSettingsPath(dir), JSON.stringify({ qboClientSecret: "x" }));
    assert.throws(
      () => loadConfig({ flags: { dataDir: dir } }),
      (e: unknown) =>
        isLexError(e) && /holds qboClientSecret, which the dashboard does not set/.test(e.message),
    );
    writeFileSync(dashboardSettingsPath(dir), "{");
    assert.throws(
      () => readDashboardSettings(dir),
      (e: unknown) => isLexError(e) && /is not JSON/.test(e.message),
    );
  });
});
