import { type Command, Option } from "commander";
import {
  type Config,
  type ConfigKey,
  type ConfigSources,
  configKeys,
  describeConfig,
  loadConfig,
} from "../core/config.ts";

/** The heading the shared settings have in each command's `--help`, below the command's own options. */
export const SHARED_SETTINGS_HEADING =
  "Shared settings (flags > environment > config file > dashboard settings > defaults):";

/**
 * Adds one flag per configuration setting to a command, with help text, env var name and
 * default all taken from the config schema, so `--help`, the environment and the file agree.
 * Call it after the command's own options: `--help` lists those first, then these under
 * their own heading.
 */
export function addConfigOptions(command: Command): Command {
  command.addOption(
    new Option("-c, --config <file>", "JSON config file (env: LEXBRIDGE_CONFIG)").helpGroup(
      SHARED_SETTINGS_HEADING,
    ),
  );
  for (const help of describeConfig()) {
    const suffix = help.defaultValue === undefined ? "" : ` (default: ${JSON.stringify(help.defaultValue)})`;
    command.addOption(
      new Option(`${help.flag} <value>`, `${help.description}${suffix} [env: ${help.env}]`).helpGroup(
        SHARED_SETTINGS_HEADING,
      ),
    );
  }
  return command;
}

/** Where a command's configuration comes from: its flags, the environment and the config file. */
export function configSourcesFromCommand(options: Record<string, unknown>, env = process.env): ConfigSources {
  const flags: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of configKeys) if (options[key] !== undefined) flags[key] = options[key];
  const file = (options.config as string | undefined) ?? env.LEXBRIDGE_CONFIG;
  return { file, env, flags };
}

/** Reads the configuration for a command from its flags, the environment and the config file. */
export function configFromCommand(options: Record<string, unknown>, env = process.env): Config {
  return loadConfig(configSourcesFromCommand(options, env));
}

/** The "Configuration" section appended to the top-level `--help`. */
export function configHelpText(): string {
  const rows = describeConfig().map((h) => `  ${h.env.padEnd(34)} ${h.flag}`);
  return `\nConfiguration (flags > environment > config file > dashboard settings > defaults):\n${rows.join("\n")}\n`;
}
