import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createEngine } from "../src/app/engine-factory.ts";
import { openFirmStore } from "../src/app/open-store.ts";
import { loadConfig } from "../src/core/config.ts";
import { silentLogger } from "../src/core/logger.ts";
import { runSyncPass } from "../src/engine/sync-pass.ts";
import type { Store, WriteUnit } from "../src/store/port.ts";
import { createTestSchema, testDatabaseUrl } from "../src/testing/postgres-schema.ts";
import { schemaUrl } from "../src/testing/scale-firms.ts";
import { startEmulatorProcess } from "./emulator-process.ts";

/**
 * The store's share of a pass: a generated firm's initial sync and then its second pass (nothing
 * changed in between), on SQLite and on PostgreSQL, quotas off. Prints each pass's wall time, how
 * many commits the engine made (and how many carried a single row), and on PostgreSQL the
 * statements sent and the transactions among them: every statement is a round trip to the server,
 * which is where the two stores differ (docs/scale.md, "The store on PostgreSQL").
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: "string", default: "medium" },
      seed: { type: "string", default: "1" },
      store: { type: "string", default: "both" },
    },
  });
  const stores = values.store === "both" ? ["sqlite", "postgres"] : [values.store!];
  for (const kind of stores) await passes(kind, values.size!, Number(values.seed));
}

async function passes(kind: string, size: string, seed: number): Promise<void> {
  const emulators = await startEmulatorProcess({ size, seed, quotas: false });
  const schema = kind === "postgres" ? await createTestSchema() : undefined;
  try {
    const config = loadConfig({
      env: {},
      flags: {
        dataDir: mkdtempSync(join(tmpdir(), "lexbridge-bench-")),
        clioBaseUrl: emulators.clioUrl,
        qboBaseUrl: emulators.qboUrl,
        startDate: "2000-01-01",
        logLevel: "silent",
        ...(schema ? { databaseUrl: schemaUrl(testDatabaseUrl, schema.name) } : {}),
      },
    });
    const { store } = await openFirmStore(config, { exclusive: true });
    const counted = countingStore(store);
    try {
      for (const label of ["initial sync", "second pass"]) {
        const engine = await createEngine(config, silentLogger, {
          store: counted.store,
          quotaTimeScale: 1e6,
        });
        counted.reset();
        statements.sent = 0;
        statements.transactions = 0;
        const started = performance.now();
        const summary = await runSyncPass(engine.deps);
        const seconds = (performance.now() - started) / 1000;
        await engine.close();
        process.stdout.write(
          `${kind} ${size} ${label}: ${seconds.toFixed(2)} s, ${summary.written.sent} QBO writes, ` +
            `${counted.commits} commits (${counted.small} of at most one row each)` +
            (kind === "postgres"
              ? `, ${statements.sent} statements sent to PostgreSQL (${statements.transactions} transactions of several)`
              : "") +
            "\n",
        );
      }
    } finally {
      await store.close();
    }
  } finally {
    await emulators.stop();
    await schema?.drop();
  }
}

/**
 * Every statement the pg driver sends (each is a round trip to the server), and the BEGINs among
 * them: the figures that load on a shared machine does not change, where the wall time does.
 */
const statements = { sent: 0, transactions: 0 };
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements.sent++;
  const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
  if (text?.startsWith("BEGIN")) statements.transactions++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

function countingStore(store: Store) {
  const counts = { commits: 0, small: 0 };
  const rows = (u: WriteUnit) =>
    Object.values(u).reduce((n, v) => n + (Array.isArray(v) ? v.length : Object.keys(v ?? {}).length), 0);
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "commit")
        return async (unit: WriteUnit, at: number) => {
          counts.commits++;
          if (rows(unit) <= 1) counts.small++;
          return target.commit(unit, at);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    store: wrapped,
    get commits() {
      return counts.commits;
    },
    get small() {
      return counts.small;
    },
    reset() {
      counts.commits = 0;
      counts.small = 0;
    },
  };
}
