import type { Catalogue } from "./types.ts";

/**
 * Scale mode's mistakes: naming firms (`lexbridge firms …`, `--firm`) and running workers. Each
 * stops the command with a fix; none changes anything stored.
 */
export const firmErrors = {
  firms_need_database: {
    kind: "config",
    action: "stop",
    title: "Firms exist only in scale mode",
    cause:
      "`lexbridge firms …`, `lexbridge worker` or --firm was used without databaseUrl: the embedded SQLite store holds one firm, the data directory's.",
    fix: "Give the PostgreSQL database with --database-url (or DATABASE_URL). Without one, lexbridge works on the data directory's one firm: leave out --firm.",
  },
  firm_unknown: {
    kind: "config",
    action: "stop",
    title: "No firm has this id",
    cause:
      "--firm (or `lexbridge firms show|remove`) names a firm that `lexbridge firms add` never made in this database, or one since removed.",
    fix: "Run `lexbridge firms list` to see the firms' ids, or add the firm with `lexbridge firms add <id>`.",
  },
  firm_exists: {
    kind: "config",
    action: "stop",
    title: "A firm with this id exists already",
    cause: "`lexbridge firms add` was given an id the database already holds.",
    fix: "Choose another id, or remove the old firm first with `lexbridge firms remove <id> --yes` (this deletes its data).",
  },
  firm_id_invalid: {
    kind: "config",
    action: "stop",
    title: "Not a firm id",
    cause:
      "A firm id is 1–63 characters of lowercase letters, digits, '-' and '_', starting with a letter or digit.",
    fix: "Choose an id such as `smith-law` and run the command again.",
  },
  firm_setting_unknown: {
    kind: "config",
    action: "stop",
    title: "Not a firm setting",
    cause:
      "`lexbridge firms set` was given a key that is not one of a firm's own settings (clioRegion, clioBaseUrl, qboEnvironment, qboBaseUrl, qboRealmId, startDate, syncIntervalSeconds, clioIdCompareHours, reconcileFullHours, conflictPolicy), or a word without `=`. Nothing was changed.",
    fix: "Write each setting as key=value with one of those keys (as `lexbridge firms show <id>` prints them); settings of the whole installation go in its environment or config file.",
  },
  firm_setting_invalid: {
    kind: "config",
    action: "stop",
    title: "A firm setting's value is not valid",
    cause:
      "`lexbridge firms set` was given a value the configuration schema refuses for that setting (the same check as its flag or environment variable). Nothing was changed.",
    fix: "Correct the value as the message says (`lexbridge sync --help` describes each setting) and run the command again; `key=` drops the firm's own value.",
  },
  firm_required: {
    kind: "config",
    action: "stop",
    title: "The database holds firms: name one",
    cause:
      "A command that acts on one firm ran against a scale-mode database without --firm, so it cannot know whose data to use.",
    fix: "Add --firm <id> (or LEXBRIDGE_FIRM); `lexbridge firms list` shows the ids.",
  },
  firm_busy: {
    kind: "config",
    action: "stop",
    title: "Another process is working on this firm",
    cause:
      "A pass, a connect or a worker's job for the same firm is running (on this machine or another): one firm's work runs one at a time, so two passes never plan the same writes.",
    fix: "Wait for it to finish and run the command again; for a firm the workers serve, ask them with `lexbridge firms queue <id> pass|resync|reconcile` instead.",
  },
  installation_key_missing: {
    kind: "config",
    action: "stop",
    title: "Scale mode needs the installation key in the environment",
    cause:
      "Firms' connections are sealed with the installation key, and every machine running workers must open them with the same key: a key file in one machine's data directory does not reach the others.",
    fix: "Set LEXBRIDGE_SECRET_KEY to the installation's key on every machine (generate one with `openssl rand -base64 32` when starting a new installation; keep it with the database's backups).",
  },
  serve_firm_given: {
    kind: "config",
    action: "stop",
    title: "serve in scale mode serves every firm",
    cause:
      "`lexbridge serve` was given --firm (or LEXBRIDGE_FIRM) with a database URL: in scale mode it is the dashboard of every firm in the database, and the workers run the passes.",
    fix: "Leave out --firm (and unset LEXBRIDGE_FIRM for serve); a firm's users see only their firm once logged in (`lexbridge admin add-user <name> --firm <id>`).",
  },
  dashboard_user_exists: {
    kind: "config",
    action: "stop",
    title: "A dashboard user with this name exists already",
    cause:
      "`lexbridge admin add-user` was given a name the installation's dashboard already has (names are unique across firms).",
    fix: "Choose another name, change this user's password with `lexbridge admin set-password --user <name>`, or remove it with `lexbridge admin remove-user <name>`.",
  },
  dashboard_user_unknown: {
    kind: "config",
    action: "stop",
    title: "No dashboard user has this name",
    cause: "The command names a user the installation's dashboard does not have.",
    fix: "Run `lexbridge admin list-users` to see the users, or add one with `lexbridge admin add-user <name> --firm <id>`.",
  },
  dashboard_user_role_missing: {
    kind: "config",
    action: "stop",
    title: "Say whose dashboard user this is",
    cause:
      "`lexbridge admin add-user` needs either --firm <id> (the user sees that firm only) or --integrator (the user sees every firm and may add firms).",
    fix: "Add --firm <id> for a firm's user, or --integrator for an integrator's admin.",
  },
} as const satisfies Catalogue;
