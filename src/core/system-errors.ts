import { LexError } from "./errors.ts";

/**
 * Known failures of the machine (files, SQLite, PostgreSQL, sockets) as coded errors, so that what a person
 * can fix is shown with its fix instead of a stack. Used where they happen (opening the store,
 * creating the data directory, starting the emulators) and once more, as a last resort, by the
 * CLI's entry point for what escaped those edges (a database found damaged in the middle of a pass).
 */

/** SQLite result codes (sqlite.org/rescode.html) that say the file, not lexbridge, is at fault. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const SQLITE_UNUSABLE = new Set([
  3 /* PERM */, 8 /* READONLY */, 10 /* IOERR */, 13 /* FULL */, 14 /* CANTOPEN */,
]);
/** errno codes of a path that cannot be created or written. */
const FILE_UNUSABLE = new Set([
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOTDIR",
  "EEXIST",
  "ENOSPC",
  "EISDIR",
  "ENAMETOOLONG",
]);

interface SqliteFailure {
  code: "ERR_SQLITE_ERROR";
  errcode: number;
  message: string;
}

function isSqliteFailure(error: unknown): error is SqliteFailure {
  return error instanceof Error && (error as { code?: unknown }).code === "ERR_SQLITE_ERROR";
}

function errnoCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && code.startsWith("E") ? code : undefined;
}

/** A failure to create, open or read the store's files at `place` (a file or directory), if it is one. */
export function storageFailure(error: unknown, place: string): LexError | undefined {
  if (error instanceof LexError) return error;
  if (isSqliteFailure(error)) {
    const primary = error.errcode & 0xff; // extended codes keep the primary one in the low byte
    if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB)
      return new LexError("store_corrupt", `The database ${place} cannot be read: ${error.message}`, {
        cause: error,
      });
    if (SQLITE_UNUSABLE.has(primary))
      return new LexError("store_unavailable", `Cannot open the database ${place}: ${error.message}`, {
        cause: error,
      });
    return undefined;
  }
  const code = errnoCode(error);
  if (code && FILE_UNUSABLE.has(code))
    return new LexError(
      "store_unavailable",
      `Cannot create or write ${place}: ${code} (${(error as Error).message})`,
      { cause: error },
    );
  return undefined;
}

/** Runs `fn`, turning a storage failure into its coded error (anything else passes unchanged). */
export function atStorageEdge<T>(place: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw storageFailure(error, place) ?? error;
  }
}

/** PostgreSQL SQLSTATEs that say the server, the login or its rights are at fault, not lexbridge. */
const POSTGRES_UNUSABLE = [
  "08" /* connection exception */,
  "28" /* invalid authorization */,
  "3D000" /* no such database */,
  "3F000" /* no such schema */,
  "42501" /* insufficient privilege */,
  "53" /* insufficient resources: too many connections, disk full */,
  "57P" /* the server shutting down or starting */,
];
/** errno codes of a server that cannot be reached at all. */
const NETWORK_UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
]);

/** An error the PostgreSQL server sent: it carries a severity and a five-character SQLSTATE. */
function isPostgresFailure(error: unknown): error is Error & { code: string } {
  const e = error as { code?: unknown; severity?: unknown };
  return (
    error instanceof Error &&
    typeof e.severity === "string" &&
    typeof e.code === "string" &&
    e.code.length === 5
  );
}

function isUnusablePostgres(error: unknown): boolean {
  return isPostgresFailure(error) && POSTGRES_UNUSABLE.some((prefix) => error.code.startsWith(prefix));
}

/**
 * A failure to reach or use the PostgreSQL database at `place` (a URL without its password): the
 * server's own verdicts above, a server that cannot be reached, a connection that was cut.
 */
export function databaseFailure(error: unknown, place: string): LexError | undefined {
  if (error instanceof LexError) return error;
  const code = errnoCode(error);
  const cut =
    error instanceof Error &&
    /^Connection terminated|timeout exceeded when trying to connect/.test(error.message);
  if (isUnusablePostgres(error) || (code && NETWORK_UNREACHABLE.has(code)) || cut)
    return new LexError(
      "database_unavailable",
      `Cannot use the PostgreSQL database ${place}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  return undefined;
}

/** What `main` shows for a failure: its coded form, or `internal_error` for a defect. */
export function codedFailure(error: unknown): LexError {
  if (error instanceof LexError) return error;
  // Only SQLite's own verdicts are sure to concern the store; a bare errno could be any file.
  const known = isSqliteFailure(error) ? storageFailure(error, "lexbridge.db") : undefined;
  if (known) return known;
  // The same holds of the PostgreSQL server's verdicts (a bare ECONNREFUSED could be any socket).
  const database = isUnusablePostgres(error) ? databaseFailure(error, "at databaseUrl") : undefined;
  if (database) return database;
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new LexError("internal_error", `Unexpected failure (${summary})`, { cause: error });
}
