import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fail, LexError, ok } from "../core/errors.ts";
import type { CdcChanges } from "../qbo/client.ts";
import { readCdc } from "./cdc-read.ts";
import type { QboPort } from "./ports.ts";

const since = new Date("2026-02-01T00:00:00Z");
const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ Id: String(from + i) }));

function port(answer: (entities: string[]) => ReturnType<QboPort["cdc"]>) {
  const asked: string[] = [];
  const qbo: Pick<QboPort, "cdc"> = {
    cdc: (entities) => {
      asked.push(entities.join(","));
      return answer(entities);
    },
  };
  return { qbo, asked };
}

describe("readCdc", () => {
  it("trusts an answer under 1,000 objects", async () => {
    const { qbo, asked } = port(async () =>
      ok<CdcChanges>({ time: "t1", changed: { Invoice: records(999) }, deleted: {} }),
    );
    const read = await readCdc(qbo, ["Invoice", "Payment"], since);
    assert.deepEqual(asked, ["Invoice,Payment"]);
    assert.equal(read.complete.get("Invoice")?.changed.length, 999);
    assert.deepEqual(read.complete.get("Payment"), { changed: [], deleted: [] });
    assert.deepEqual(read.incomplete, []);
    assert.equal(read.time, "t1");
  });

  it("counts deleted stubs toward the 1,000 and splits a full answer by entity", async () => {
    const { qbo, asked } = port(async (entities) => {
      if (entities.length > 1)
        return ok<CdcChanges>({
          time: "t1",
          changed: { Invoice: records(600) },
          deleted: { Invoice: ["x"], Payment: records(399).map((r) => r.Id) },
        });
      if (entities[0] === "Invoice")
        return ok<CdcChanges>({ time: "t2", changed: { Invoice: records(1000) }, deleted: {} });
      return ok<CdcChanges>({ time: "t3", changed: {}, deleted: { Payment: records(450).map((r) => r.Id) } });
    });
    const read = await readCdc(qbo, ["Invoice", "Payment"], since);
    assert.deepEqual(asked, ["Invoice,Payment", "Invoice", "Payment"]);
    assert.deepEqual(read.incomplete, ["Invoice"], "still full alone: left to the full compare");
    assert.equal(read.complete.get("Payment")?.deleted.length, 450);
    assert.equal(read.time, "t1", "the earliest answer's time is the next cursor");
  });

  it("falls back to the full compare when QBO refuses the window, and throws any other failure", async () => {
    const refused = port(async () => fail(new LexError("qbo_cdc_window", "changedSince too old")));
    const read = await readCdc(refused.qbo, ["Customer", "Invoice"], since);
    assert.deepEqual(read.incomplete, ["Customer", "Invoice"]);
    assert.equal(read.time, undefined);
    const broken = port(async () => fail(new LexError("qbo_server_error", "boom")));
    await assert.rejects(readCdc(broken.qbo, ["Customer"], since), /boom/);
  });
});
