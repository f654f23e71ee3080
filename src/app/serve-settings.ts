import {
  type Config,
  type ConfigOrigin,
  type ConfigSources,
  configOrigins,
  configSchema,
  loadConfig,
} from "../core/config.ts";
import {
  DASHBOARD_SETTING_KEYS,
  type DashboardSettingKey,
  readDashboardSettings,
  writeDashboardSettings,
} from "../core/dashboard-settings.ts";
import type { Logger } from "../core/logger.ts";

/** The dashboard's settings are checked by the configuration's own schema, field by field. */
const settingsSchema = configSchema
  .pick(Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, true])) as Record<DashboardSettingKey, true>)
  .strict();

/**
 * Settings whose empty field means "none" (every bill, the first Income account, Undeposited
 * Funds, codes matched by rate).
 */
const EMPTY_MEANS_UNSET: ReadonlySet<DashboardSettingKey> = new Set([
  "startDate",
  "qboIncomeAccount",
  "qboDepositAccount",
  "qboTaxCodes",
  "qboTrustAccounts",
  "qboClass",
  "qboLocation",
]);

export type SettingsProblems = Partial<Record<DashboardSettingKey, string>>;

/** Where the dashboard's settings are kept: the data directory's file (embedded), a firm's row (scale mode). */
export interface SettingsPlace {
  read(): Record<string, unknown>;
  write(values: Record<string, unknown>): void;
}

export interface SettingsView {
  values: Pick<Config, DashboardSettingKey>;
  origins: Record<DashboardSettingKey, ConfigOrigin>;
}

/**
 * The configuration `serve` runs with, read anew before each pass so that what the Settings page
 * saved takes effect at the next pass. With the command's sources (flags, environment, file) the
 * whole precedence applies; without them (in-process callers) the given configuration is the base
 * and the dashboard's settings apply over it. A configuration that became invalid meanwhile (a
 * hand-edited file) is logged and the last good one kept.
 */
export class ServeSettings {
  readonly #base: Config;
  readonly #sources: ConfigSources | undefined;
  readonly #logger: Logger;
  readonly #place: SettingsPlace;
  #lastGood: Config;

  constructor(base: Config, logger: Logger, sources?: ConfigSources, place?: SettingsPlace) {
    this.#base = base;
    this.#sources = sources;
    this.#logger = logger;
    this.#lastGood = base;
    this.#place = place ?? {
      read: () => readDashboardSettings(base.dataDir),
      write: (values) => writeDashboardSettings(base.dataDir, values),
    };
  }

  current(): Config {
    try {
      this.#lastGood = this.#sources
        ? loadConfig(this.#sources)
        : configSchema.parse({ ...this.#base, ...this.#place.read() });
    } catch (error) {
      this.#logger.error({ err: error }, "the configuration cannot be read; the last good one stays in use");
    }
    return this.#lastGood;
  }

  origins(): Record<DashboardSettingKey, ConfigOrigin> {
    const all = this.#sources
      ? configOrigins(this.#sources)
      : configOrigins({ flags: { dataDir: this.#base.dataDir } });
    return Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, all[k]])) as SettingsView["origins"];
  }

  view(): SettingsView {
    const config = this.current();
    return {
      values: Object.fromEntries(DASHBOARD_SETTING_KEYS.map((k) => [k, config[k]])) as SettingsView["values"],
      origins: this.origins(),
    };
  }

  /**
   * Saves the form's values of the settings nobody fixed above the dashboard; a value fixed by a
   * flag, the environment or the config file is kept as it is whatever the form says. Returns the
   * schema's message per field when a value does not pass, with the `refused` ones the caller
   * found (a choice the QuickBooks company does not offer), and saves nothing then.
   */
  save(
    form: Record<string, string | undefined>,
    refused: SettingsProblems = {},
  ): { ok: true } | { ok: false; problems: SettingsProblems } {
    const origins = this.origins();
    // Only what the form sent of what nobody fixed above the dashboard is saved.
    const editable = DASHBOARD_SETTING_KEYS.filter(
      (k) => (origins[k] === "dashboard" || origins[k] === "default") && form[k] !== undefined,
    );
    const candidate: Record<string, unknown> = {};
    for (const key of editable) {
      const raw = form[key]?.trim();
      // An empty optional field means none; the other fields must hold a value.
      if (raw !== undefined && !(EMPTY_MEANS_UNSET.has(key) && raw === "")) candidate[key] = raw;
    }
    // Fields left out take the schema's default here and are not saved.
    const parsed = settingsSchema.safeParse(candidate);
    const problems: SettingsProblems = {};
    for (const issue of parsed.error?.issues ?? []) {
      const key = String(issue.path[0]) as DashboardSettingKey;
      problems[key] ??= issue.message;
    }
    for (const key of editable) if (refused[key]) problems[key] ??= refused[key];
    if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems };
    const next: Record<string, unknown> = { ...this.#place.read() };
    for (const key of editable) {
      const value = (parsed.data as Record<string, unknown>)[key];
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.#place.write(next);
    this.#logger.info({ settings: next }, "dashboard settings saved; they take effect at the next pass");
    return { ok: true };
  }
}
