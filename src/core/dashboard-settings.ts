import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LexError } from "./errors.ts";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "./private-files.ts";

/**
 * The settings a bookkeeper may change on the dashboard's Settings page. They live in
 * `<dataDir>/settings.json`, a layer of the configuration under the config file (precedence:
 * flags > environment > config file > dashboard settings > defaults), so every command — `sync`
 * as much as `serve` — runs with them, and a value an operator fixed by a flag, a variable or the
 * file is never overridden from a browser. The values are checked by the configuration schema.
 */
export const DASHBOARD_SETTING_KEYS = [
  "startDate",
  "conflictPolicy",
  "syncIntervalSeconds",
  "servicesItemName",
  "expensesItemName",
  "taxItemName",
  "interestItemName",
  "adjustmentItemName",
  "creditItemName",
  "qboIncomeAccount",
  "qboDepositAccount",
  "qboTaxCodes",
  "qboTrustAccounts",
  "qboClass",
  "qboLocation",
] as const;

export type DashboardSettingKey = (typeof DASHBOARD_SETTING_KEYS)[number];

export const DASHBOARD_SETTINGS_FILE = "settings.json";

export function dashboardSettingsPath(dataDir: string): string {
  return join(dataDir, DASHBOARD_SETTINGS_FILE);
}

/** The stored dashboard settings ({} when none were saved). Their values are checked by loadConfig. */
export function readDashboardSettings(dataDir: string): Record<string, unknown> {
  const path = dashboardSettingsPath(dataDir);
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new LexError("config_invalid", `The dashboard's settings file ${path} is not JSON`, { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new LexError("config_invalid", `The dashboard's settings file ${path} is not a JSON object`);
  const unknown = Object.keys(value).filter(
    (k) => !(DASHBOARD_SETTING_KEYS as readonly string[]).includes(k),
  );
  if (unknown.length > 0)
    throw new LexError(
      "config_invalid",
      `The dashboard's settings file ${path} holds ${unknown.join(", ")}, which the dashboard does not set (only ${DASHBOARD_SETTING_KEYS.join(", ")})`,
    );
  return value as Record<string, unknown>;
}

/**
 * Replaces the stored dashboard settings: written beside and renamed over the old file, so a
 * crash leaves the old or the new settings, never half of them; private (0600) like the data dir.
 */
export function writeDashboardSettings(
  dataDir: string,
  values: Partial<Record<DashboardSettingKey, unknown>>,
): void {
  ensurePrivateDir(dataDir);
  const path = dashboardSettingsPath(dataDir);
  const next = `${path}.next`;
  writeFileSync(next, `${JSON.stringify(values, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  renameSync(next, path);
}
