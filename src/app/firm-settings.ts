import { type Config, type ConfigKey, configSchema, loadConfig } from "../core/config.ts";
import { LexError } from "../core/errors.ts";
import type { FirmRecord } from "../store/postgres/firm-registry.ts";

/**
 * The settings each firm of a scale-mode installation has of its own: where its Clio account and
 * QBO company are, and how its passes run. Everything else (the OAuth apps, the database, logs,
 * the dashboard) is the installation's, shared by all firms.
 */
export const FIRM_SETTING_KEYS = [
  "clioRegion",
  "clioBaseUrl",
  "qboEnvironment",
  "qboBaseUrl",
  "qboRealmId",
  "startDate",
  "syncIntervalSeconds",
  "clioIdCompareHours",
  "reconcileFullHours",
  "conflictPolicy",
] as const satisfies readonly ConfigKey[];

/** The firm settings among a command's flags, checked against the configuration schema. */
export function firmSettingsFrom(options: Record<string, unknown>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const key of FIRM_SETTING_KEYS) if (options[key] !== undefined) given[key] = options[key];
  const checked = loadConfig({ env: {}, flags: given });
  return Object.fromEntries(Object.keys(given).map((key) => [key, checked[key as ConfigKey]]));
}

/** What `lexbridge firms set` changes: settings to store, and settings to drop (the installation's apply again). */
export interface FirmSettingsChange {
  set: Record<string, unknown>;
  unset: string[];
}

const isFirmSettingKey = (key: string): key is (typeof FIRM_SETTING_KEYS)[number] =>
  (FIRM_SETTING_KEYS as readonly string[]).includes(key);

/**
 * `key=value` pairs checked as the configuration schema checks the same setting from a flag or
 * the environment (`key=` drops the firm's own value). Every pair is checked before anything is
 * stored: a key that is not a firm setting is `firm_setting_unknown`, a value the schema refuses
 * `firm_setting_invalid`, each naming every bad pair at once.
 */
export function parseFirmSettings(pairs: string[]): FirmSettingsChange {
  const change: FirmSettingsChange = { set: {}, unset: [] };
  const unknown: string[] = [];
  const invalid: string[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 || !isFirmSettingKey(key)) {
      unknown.push(at < 0 ? `"${pair}" (expected key=value)` : `"${key}"`);
      continue;
    }
    const text = pair.slice(at + 1);
    if (text === "") {
      change.unset.push(key);
      continue;
    }
    const parsed = configSchema.shape[key].safeParse(text);
    if (parsed.success) change.set[key] = parsed.data;
    else invalid.push(`${key}=${text}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  if (unknown.length > 0)
    throw new LexError("firm_setting_unknown", `Not a firm setting: ${unknown.join(", ")}`, {
      details: { unknown, settings: [...FIRM_SETTING_KEYS] },
    });
  if (invalid.length > 0)
    throw new LexError("firm_setting_invalid", `Invalid firm setting: ${invalid.join("; ")}`, {
      details: { invalid },
    });
  return change;
}

/** The configuration a command or job uses for one firm: the installation's, with the firm's settings over it. */
export function firmConfig(config: Config, firm: FirmRecord): Config {
  return { ...config, ...firm.settings, firm: firm.id };
}

const FIRM_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function checkFirmId(id: string): string {
  if (!FIRM_ID.test(id))
    throw new LexError("firm_id_invalid", `"${id}" is not a firm id (lowercase letters, digits, - and _)`);
  return id;
}
