import { createEngine } from "../app/engine-factory.ts";
import { silentLogger } from "../core/logger.ts";
import { runSyncPass } from "../engine/sync-pass.ts";
import { testDatabaseUrl } from "./postgres-schema.ts";
import { type ScaleFirms, schemaUrl } from "./scale-firms.ts";

/**
 * One sync pass of each firm, in this process, on the schema `schema` (firms added there with
 * addFirms) of the database at `base`: each firm's own serial run, which the workers' runs are compared with. Firms are
 * independent (each its own Clio, its own QBO company and rows), so `sideBySide` of them may pass
 * at once without touching each other's run; every firm's own passes still come one after the
 * other. Resolves with what each firm's pass sent to QBO, in the order of `scale.firms`.
 */
export async function passEachFirmAlone(
  scale: ScaleFirms,
  schema: string,
  sideBySide = 1,
  base = testDatabaseUrl,
): Promise<number[]> {
  const sent: number[] = new Array(scale.firms.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < scale.firms.length; i = next++) {
      const engine = await createEngine(
        { ...scale.config, databaseUrl: schemaUrl(base, schema), firm: scale.firms[i]!.id },
        silentLogger,
        { dataDirLock: false },
      );
      try {
        sent[i] = (await runSyncPass(engine.deps)).written.sent;
      } finally {
        await engine.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, sideBySide) }, lane));
  return sent;
}
