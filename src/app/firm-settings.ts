import { type Config, type ConfigKey, loadConfig } from "../core/config.ts";
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
