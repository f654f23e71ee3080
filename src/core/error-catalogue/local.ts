import type { Catalogue } from "./types.ts";

/**
 * Mistakes a person makes on this machine: the command line, the data directory, the emulators'
 * addresses. Each stops the command with a fix; none changes anything stored.
 */
export const localErrors = {
  usage_invalid: {
    kind: "config",
    action: "stop",
    title: "The command line is not valid",
    cause:
      "An unknown command or option, a missing argument, or a value an option does not take (a word where a number belongs, a choice not offered).",
    fix: "Run the command with `--help` (the message names it) to see its arguments and options, then run it again.",
  },
  store_unavailable: {
    kind: "config",
    action: "stop",
    title: "The data directory cannot be used",
    cause:
      "lexbridge could not create or write the data directory or a file in it (lexbridge.db, its -wal and -shm files, the key file or the lock file): no permission, a read-only disk, a full disk, or a path through a file.",
    fix: "Check that the data directory (--data-dir / LEXBRIDGE_DATA_DIR, named in the message) can be created and written by the user running lexbridge and that the disk has room, or choose another directory.",
  },
  store_corrupt: {
    kind: "config",
    action: "stop",
    title: "The database file is damaged or is not a lexbridge database",
    cause:
      "SQLite reported the data directory's lexbridge.db as malformed or not a database: the file was cut short (a full disk, a copy taken while a pass ran), edited, or is some other file with that name.",
    fix: "Stop every lexbridge process and restore lexbridge.db from a backup (docs/operations.md, Data directory); lexbridge does not repair the file. Keep the damaged file for a report.",
  },
  output_unwritable: {
    kind: "config",
    action: "stop",
    title: "The output file cannot be written",
    cause:
      "A file a command was asked to write (such as `reconcile --csv FILE`) is in a directory that does not exist or that this user cannot write.",
    fix: "Give a path in a directory that exists and that you can write, and run the command again.",
  },
  database_unavailable: {
    kind: "config",
    action: "stop",
    title: "The PostgreSQL database cannot be used",
    cause:
      "databaseUrl (--database-url / LEXBRIDGE_DATABASE_URL) names a PostgreSQL server that does not answer, refuses the login, has no such database, lets this user create no tables, or went away during the command.",
    fix: "Check the URL in the message (host, port, user, database name), that the server is running and reachable from this machine, and that the user may connect and create tables in the database; or unset databaseUrl to use the embedded SQLite file in the data directory.",
  },
  emulator_listen_failed: {
    kind: "config",
    action: "stop",
    title: "An emulator cannot listen on the address",
    cause:
      "The port is in use or reserved, or the host is not an address of this machine (or does not resolve).",
    fix: "Choose a free port (--clio-port / --qbo-port; 0 picks any free port) and a host that is an address of this machine, such as 127.0.0.1.",
  },
  web_listen_failed: {
    kind: "config",
    action: "stop",
    title: "The dashboard cannot listen on the address",
    cause:
      "`lexbridge serve` (or the demo) could not open its port: another process uses it (often another serve or demo), or the host is not an address of this machine.",
    fix: "Stop what uses the port or choose another (--port; 0 picks any free port for the demo), and a host that is an address of this machine, such as 127.0.0.1. A changed port changes the default redirect URI too (register it on the apps).",
  },
} as const satisfies Catalogue;
