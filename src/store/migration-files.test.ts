import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { pathToFileURL } from "node:url";
import { readMigrationFiles } from "./migration-files.ts";

function dirWith(files: string[]): URL {
  const dir = mkdtempSync(join(tmpdir(), "lexbridge-migrations-"));
  for (const name of files) writeFileSync(join(dir, name), `-- ${name}`);
  return pathToFileURL(`${dir}/`);
}

it("reads the numbered SQL files in number order, and nothing else", () => {
  const dir = dirWith(["002_more.sql", "001_init.sql", "README.md", "3_loose.sql"]);
  assert.deepEqual(
    readMigrationFiles(dir).map((m) => [m.version, m.name, m.sql]),
    [
      [1, "001_init.sql", "-- 001_init.sql"],
      [2, "002_more.sql", "-- 002_more.sql"],
    ],
  );
});

it("refuses a gap or a repeated number rather than skip a migration", () => {
  assert.throws(
    () => readMigrationFiles(dirWith(["001_init.sql", "003_later.sql"])),
    /003_later\.sql .* number 2/,
  );
  assert.throws(() => readMigrationFiles(dirWith(["001_init.sql", "001_again.sql"])), /should be number 2/);
});
