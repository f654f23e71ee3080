import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { secretBoxFor } from "../app/connections.ts";
import { acquireDataDirLock, LOCK_FILE } from "../app/data-dir-lock.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { loadConfig } from "./config.ts";
import { ensurePrivateDir } from "./private-files.ts";

const root = mkdtempSync(join(tmpdir(), "lexbridge-modes-"));
after(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("the data directory and its files are private to the user", () => {
  it("a new data dir is 0700 and the database, its WAL files, the key and the lock are 0600, whatever the umask", async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = join(root, "new", "nested");
      const lock = acquireDataDirLock(dataDir);
      const store = new SqliteStore(join(dataDir, "lexbridge.db"));
      await store.commit({ kv: { probe: "1" } }, 1); // a write, so the WAL file exists
      secretBoxFor(loadConfig({ flags: { dataDir } }), {});
      assert.equal(modeOf(dataDir), 0o700);
      assert.equal(modeOf(join(root, "new")), 0o700, "missing parents are made private too");
      for (const name of ["lexbridge.db", "lexbridge.db-wal", "lexbridge.db-shm", "secret.key", LOCK_FILE]) {
        assert.ok(existsSync(join(dataDir, name)), name);
        assert.equal(modeOf(join(dataDir, name)), 0o600, name);
      }
      await store.close();
      lock.release();
    } finally {
      process.umask(previous);
    }
  });

  it("an existing data dir of lexbridge's own with looser modes (an older version) is tightened, files too", async () => {
    const dataDir = join(root, "older");
    mkdirSync(dataDir);
    const first = new SqliteStore(join(dataDir, "lexbridge.db"));
    await first.close();
    writeFileSync(join(dataDir, "secret.key"), Buffer.alloc(32, 7).toString("base64"));
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "lexbridge.db"), 0o644);
    chmodSync(join(dataDir, "secret.key"), 0o644);
    const store = new SqliteStore(join(dataDir, "lexbridge.db"));
    secretBoxFor(loadConfig({ flags: { dataDir } }), {});
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(modeOf(join(dataDir, "lexbridge.db")), 0o600);
    assert.equal(modeOf(join(dataDir, "secret.key")), 0o600);
    await store.close();
  });

  it("a shared directory that also holds other files is left as it is, with a warning naming it", () => {
    const shared = join(root, "project");
    mkdirSync(shared);
    writeFileSync(join(shared, "notes.txt"), "");
    chmodSync(shared, 0o755);
    const warnings: string[] = [];
    ensurePrivateDir(shared, (line) => warnings.push(line));
    ensurePrivateDir(shared, (line) => warnings.push(line));
    assert.equal(modeOf(shared), 0o755);
    assert.equal(warnings.length, 1, "warned once");
    assert.match(warnings[0] ?? "", /project.*mode 755.*chmod 700/);
  });
});
