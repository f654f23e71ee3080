import assert from "node:assert/strict";
import { it } from "node:test";
import { isLexError } from "../core/errors.ts";
import { parseFirmSettings } from "./firm-settings.ts";

it("parses key=value firm settings as the configuration schema does, key= dropping one", () => {
  assert.deepEqual(
    parseFirmSettings([
      "syncIntervalSeconds=600",
      "conflictPolicy=clio-wins",
      "startDate=2026-01-01",
      "qboRealmId=",
    ]),
    {
      set: { syncIntervalSeconds: 600, conflictPolicy: "clio-wins", startDate: "2026-01-01" },
      unset: ["qboRealmId"],
    },
  );
});

it("refuses keys that are not a firm's settings, naming each, before checking any value", () => {
  assert.throws(
    () => parseFirmSettings(["syncIntervalSeconds=5", "databaseUrl=postgres://x", "nonsense"]),
    (error) =>
      isLexError(error, "firm_setting_unknown") &&
      error.message.includes('"databaseUrl"') &&
      error.message.includes('"nonsense" (expected key=value)'),
  );
});

it("refuses values the schema refuses, with the schema's reason for each", () => {
  assert.throws(
    () => parseFirmSettings(["syncIntervalSeconds=5", "conflictPolicy=coin-toss", "startDate=2026-01-01"]),
    (error) =>
      isLexError(error, "firm_setting_invalid") &&
      error.message.includes("syncIntervalSeconds=5") &&
      error.message.includes("conflictPolicy=coin-toss") &&
      !error.message.includes("startDate"),
  );
});
