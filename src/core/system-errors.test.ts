import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
import { LexError } from "./errors.ts";
import { atStorageEdge, codedFailure, databaseFailure, storageFailure } from "./system-errors.ts";

function sqliteFailure(path: string): unknown {
  try {
    new DatabaseSync(path).exec("PRAGMA user_version");
  } catch (error) {
    return error;
  }
  throw new Error("expected SQLite to refuse");
}

describe("system failures as coded errors", () => {
  it("SQLite's 'unable to open' is store_unavailable, naming the file", () => {
    const failure = storageFailure(sqliteFailure("/nonexistent-dir/x/lexbridge.db"), "/data/lexbridge.db");
    assert.equal(failure?.code, "store_unavailable");
    assert.match(failure?.message ?? "", /\/data\/lexbridge\.db: unable to open database file/);
  });

  it("an errno of a path that cannot be made is store_unavailable; an unknown errno is left alone", () => {
    const enotdir = Object.assign(new Error("ENOTDIR: not a directory, mkdir '/f/x'"), { code: "ENOTDIR" });
    assert.equal(storageFailure(enotdir, "/f/x")?.code, "store_unavailable");
    const other = Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" });
    assert.equal(storageFailure(other, "/f/x"), undefined);
    assert.throws(
      () =>
        atStorageEdge("/f/x", () => {
          throw enotdir;
        }),
      (e: unknown) => e instanceof LexError && e.code === "store_unavailable",
    );
  });

  it("the last resort keeps LexErrors, translates SQLite's verdicts, and calls anything else internal_error", () => {
    const coded = new LexError("config_invalid", "bad");
    assert.equal(codedFailure(coded), coded);
    const notADb = Object.assign(new Error("file is not a database"), {
      code: "ERR_SQLITE_ERROR",
      errcode: 26,
    });
    assert.equal(codedFailure(notADb).code, "store_corrupt");
    const malformed = Object.assign(new Error("database disk image is malformed"), {
      code: "ERR_SQLITE_ERROR",
      errcode: 11,
    });
    assert.equal(codedFailure(malformed).code, "store_corrupt");
    const defect = codedFailure(new TypeError("Cannot read properties of undefined (reading 'id')"));
    assert.equal(defect.code, "internal_error");
    assert.match(defect.message, /TypeError: Cannot read properties of undefined/);
    assert.equal(codedFailure("a string thrown").code, "internal_error");
  });

  it("PostgreSQL's verdicts on the server or the login are database_unavailable; a defect of ours stays one", () => {
    const sent = (code: string, message: string) =>
      Object.assign(new Error(message), { severity: "FATAL", code });
    const shutdown = sent("57P01", "terminating connection due to administrator command");
    assert.equal(codedFailure(shutdown).code, "database_unavailable", "also when it escapes mid-pass");
    assert.equal(
      databaseFailure(sent("28P01", "password authentication failed"), "postgres://u:***@h/db")?.code,
      "database_unavailable",
    );
    assert.match(
      databaseFailure(sent("3D000", 'database "x" does not exist'), "postgres://h/x")?.message ?? "",
      /postgres:\/\/h\/x: database "x" does not exist/,
    );
    assert.equal(databaseFailure(sent("42601", "syntax error at or near"), "postgres://h/x"), undefined);
    assert.equal(codedFailure(sent("42601", "syntax error at or near")).code, "internal_error");
  });

  it("a server that cannot be reached is database_unavailable where the database is opened, not at the last resort", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    assert.equal(databaseFailure(refused, "postgres://127.0.0.1/x")?.code, "database_unavailable");
    assert.equal(codedFailure(refused).code, "internal_error", "a bare errno could be any socket");
  });
});
