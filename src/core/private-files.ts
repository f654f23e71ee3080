import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from "node:fs";

/**
 * The data directory holds client names, emails, addresses, bill descriptions and the key that
 * seals the OAuth tokens, so it and its files are private to the user running lexbridge: the
 * directory 0700, files 0600, whatever the umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Names lexbridge keeps in its data directory; a directory holding only these is lexbridge's own. */
const OWN_NAMES =
  /^(lexbridge\.db(-wal|-shm|-journal)?|secret\.key|lexbridge\.lock|settings\.json(\.next)?|logs?|.*\.log)$/;

const warned = new Set<string>();

function looseBits(path: string): number {
  return statSync(path).mode & 0o077;
}

/**
 * Creates `dir` (and missing parents) as 0700. A directory that exists with group or other access
 * is tightened when it is lexbridge's own (empty, or holding only lexbridge's files): those bits
 * are a leftover of an older version or a umask, and keeping them exposes client data. A directory
 * that also holds other files (`--data-dir .`) is someone else's to decide: it is left as it is,
 * with a warning.
 */
export function ensurePrivateDir(
  dir: string,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    return;
  }
  if (looseBits(dir) === 0) return;
  if (readdirSync(dir).every((name) => OWN_NAMES.test(name))) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    return;
  }
  if (warned.has(dir)) return;
  warned.add(dir);
  const mode = (statSync(dir).mode & 0o777).toString(8);
  warn(
    `lexbridge: warning: the data directory ${dir} is open to other users (mode ${mode}) and holds files that are not lexbridge's, so it was left as it is; run \`chmod 700 ${dir}\` or give lexbridge a directory of its own.`,
  );
}

/** Makes `path` 0600: creates it empty when missing (SQLite takes an empty file as a new database), tightens it when looser. */
export function ensurePrivateFile(path: string, options: { create: boolean } = { create: true }): void {
  if (!existsSync(path)) {
    if (options.create) closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
    return;
  }
  if (looseBits(path) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
}

/** The SQLite database and the files SQLite keeps beside it; they take the database file's mode when made. */
export function ensurePrivateDatabase(path: string): void {
  ensurePrivateFile(path);
  for (const suffix of ["-wal", "-shm", "-journal"]) ensurePrivateFile(`${path}${suffix}`, { create: false });
}
