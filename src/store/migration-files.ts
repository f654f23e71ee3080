import { readdirSync, readFileSync } from "node:fs";

/** One numbered schema change, read from `NNN_what_it_does.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/**
 * A dialect's migrations, in order: the files of `dir` named `NNN_name.sql`, numbered 1, 2, 3, …
 * without a gap (a gap or a repeated number is a packaging mistake, refused here rather than
 * skipped silently in a customer's database).
 */
export function readMigrationFiles(dir: URL): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((name) => FILE_NAME.test(name))
    .sort();
  return files.map((name, index) => {
    const version = Number(FILE_NAME.exec(name)?.[1]);
    if (version !== index + 1)
      throw new Error(`migration ${name} in ${dir.pathname} should be number ${index + 1}`);
    return { version, name, sql: readFileSync(new URL(name, dir), "utf8") };
  });
}
