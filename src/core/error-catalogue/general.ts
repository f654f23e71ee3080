import type { Catalogue } from "./types.ts";

/** Errors that belong to no provider: configuration, input, defects. */
export const generalErrors = {
  config_invalid: {
    kind: "config",
    action: "stop",
    title: "Configuration is invalid",
    cause:
      "A value from the config file, an environment variable, a flag or the dashboard's settings (settings.json in the data dir) does not pass validation.",
    fix: "Correct the named setting (see `lexbridge --help` or docs/operations.md) and run again.",
  },
  money_invalid: {
    kind: "data",
    action: "issue",
    title: "Amount is not a valid money value",
    cause: "An amount is not a finite decimal number with at most two decimal places.",
    fix: "Correct the amount in the source system; lexbridge never rounds money silently.",
  },
  input_invalid: {
    kind: "data",
    action: "issue",
    title: "Input does not match the expected shape",
    cause: "A record, request body or response failed schema validation at a boundary.",
    fix: "The message names the field and the rule. Correct the record at its source.",
  },
  web_admin_password_missing: {
    kind: "config",
    action: "stop",
    title: "The dashboard has no admin password",
    cause: "`lexbridge serve` puts every page behind a login, and no admin password has been set yet.",
    fix: "Set one: `lexbridge admin set-password`, or start serve once with LEXBRIDGE_ADMIN_PASSWORD in the environment.",
  },
  web_password_weak: {
    kind: "config",
    action: "stop",
    title: "The dashboard password is too short",
    cause: "An admin password shorter than 12 characters can be guessed.",
    fix: "Choose a password of at least 12 characters (a few unrelated words work well).",
  },
  internal_error: {
    kind: "system",
    action: "stop",
    title: "Internal error",
    cause: "A defect in lexbridge: something happened that the code does not expect.",
    fix: "Report it, with the log file (it holds the stack at log level debug); nothing was half-written.",
  },
} as const satisfies Catalogue;
