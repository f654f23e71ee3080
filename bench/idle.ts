import { parseArgs } from "node:util";
import { createEngine } from "../src/app/engine-factory.ts";
import { silentLogger } from "../src/core/logger.ts";
import { generateFirm } from "../src/emulators/generator/index.ts";
import { reconcile, reconcileAfterPass } from "../src/engine/reconcile.ts";
import { runSyncPass } from "../src/engine/sync-pass.ts";
import { startEmulatorPair } from "../src/testing/emulator-pair.ts";
import { countingFetch } from "./call-counter.ts";

/**
 * What an idle pass costs (PRODUCT.md §4: idle polling must use under a third of Clio's budget,
 * 50 requests a minute, with a pass every 5 minutes): the initial sync of a generated firm, then
 * passes with nothing changed in either system, counting API calls by path; then a pass whose
 * complete id compare (finding deletions, id-set-compare.ts) is due. The reconciliation that
 * `lexbridge sync` runs after each pass is counted on its own: after an idle pass (only what the
 * pass touched: nothing), and the full one it runs once a day (and `lexbridge reconcile` runs).
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: "string", default: "medium" },
      seed: { type: "string", default: "1" },
      passes: { type: "string", default: "2" },
    },
  });
  const firm = generateFirm({ size: values.size as "medium", seed: Number(values.seed) });
  const pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  const counter = countingFetch(new URL(pair.clio.url).origin);
  const engine = await createEngine(pair.config, silentLogger, { fetch: counter.fetch });
  try {
    await reconcileAfterPass(engine.deps, await runSyncPass(engine.deps));
    for (let i = 1; i <= Number(values.passes); i++) {
      counter.counts.clear();
      const summary = await runSyncPass(engine.deps);
      report(`idle pass ${i}, ${values.size} firm (seed ${values.seed})`, counter.counts);
      counter.counts.clear();
      await reconcileAfterPass(engine.deps, summary);
      report(`the reconciliation \`lexbridge sync\` runs after idle pass ${i}`, counter.counts);
    }
    counter.counts.clear();
    const settings = { ...engine.deps.settings, idCompareIntervalMs: 0 };
    await runSyncPass({ ...engine.deps, settings });
    report("an idle pass when the complete id compare is due (once a day by default)", counter.counts);
    counter.counts.clear();
    await reconcile(engine.deps, { raiseIssues: true });
    report("the full reconciliation (once a day after a pass, and `lexbridge reconcile`)", counter.counts);
  } finally {
    await engine.close();
    await pair.close();
  }
}

function report(title: string, counts: Map<string, number>): void {
  const clio = [...counts.entries()].filter(([k]) => k.startsWith("clio")).reduce((a, [, n]) => a + n, 0);
  const qbo = [...counts.entries()].filter(([k]) => k.startsWith("qbo")).reduce((a, [, n]) => a + n, 0);
  process.stdout.write(`\n== ${title} ==\n  Clio ${clio}, QBO ${qbo}\n`);
  for (const [k, n] of [...counts.entries()].sort()) process.stdout.write(`  ${k}: ${n}\n`);
}
