import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LexError } from "../core/errors.ts";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "../core/private-files.ts";
import { atStorageEdge } from "../core/system-errors.ts";

/**
 * One process at a time per data directory: two processes running passes on one store could plan
 * the same record twice. A lock file made with O_EXCL holds the owner's pid; a lock whose process
 * is gone (killed, crashed) is taken over. Within one process the lock is shared (tests and the
 * demo open the engine more than once). Written here rather than taken from a lock library
 * because the message must name the other process's pid, which the common ones do not record.
 */
export interface DataDirLock {
  release(): void;
}

const held = new Map<string, number>();

export const LOCK_FILE = "lexbridge.lock";

export function acquireDataDirLock(dataDir: string, pid = process.pid): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const count = held.get(path) ?? 0;
  if (count === 0)
    atStorageEdge(path, () => {
      ensurePrivateDir(dataDir);
      takeFile(path, pid);
    });
  held.set(path, count + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (held.get(path) ?? 1) - 1;
      if (left > 0) {
        held.set(path, left);
        return;
      }
      held.delete(path);
      if (ownerOf(path) === pid) unlinkSync(path);
    },
  };
}

function takeFile(path: string, pid: number): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify({ pid, since: new Date().toISOString() })}\n`, {
        flag: "wx",
        mode: PRIVATE_FILE_MODE,
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(path);
    if (owner !== undefined && owner !== pid && isRunningLexbridge(owner)) {
      throw new LexError(
        "store_locked",
        `Another lexbridge process (pid ${owner}) is using the data directory ${join(path, "..")}`,
        { details: { pid: owner } },
      );
    }
    try {
      unlinkSync(path); // the owner is gone: its lock is stale
    } catch {
      // another process took it over first; the next attempt finds out who
    }
  }
  throw new LexError("store_locked", `The lock file ${path} is being taken by another process; try again`);
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number((JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when the pid runs and (where /proc tells) is a Node process, so a reused pid is not mistaken. */
function isRunningLexbridge(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /node|lexbridge/.test(cmdline);
  } catch {
    return true; // no /proc: trust that the pid is alive
  }
}
