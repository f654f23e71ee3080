import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isLexError } from "../core/errors.ts";
import { acquireDataDirLock, LOCK_FILE } from "./data-dir-lock.ts";

const lockModule = new URL("./data-dir-lock.ts", import.meta.url).pathname;

/** Another process that takes the lock and holds it until killed. */
async function holder(dir: string) {
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
       acquireDataDirLock(${JSON.stringify(dir)}); console.log("locked"); setInterval(() => {}, 1000);`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await once(child.stdout!, "data");
  return child;
}

describe("data directory lock", () => {
  it("refuses a second process with a coded error naming the first one's pid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lexbridge-lock-"));
    const child = await holder(dir);
    try {
      assert.throws(
        () => acquireDataDirLock(dir),
        (e: unknown) => isLexError(e) && e.code === "store_locked" && e.message.includes(`pid ${child.pid}`),
      );
    } finally {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    // The holder was killed without releasing: its lock is stale and is taken over.
    const lock = acquireDataDirLock(dir);
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  });

  it("is shared within one process and removed when the last holder releases it", () => {
    const dir = mkdtempSync(join(tmpdir(), "lexbridge-lock-"));
    const a = acquireDataDirLock(dir);
    const b = acquireDataDirLock(dir);
    a.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), true);
    b.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  });
});
