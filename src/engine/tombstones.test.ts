import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClioBillView } from "../mapping/clio-billing-views.ts";
import type { MirrorRecord } from "../store/port.ts";
import { isInvoiceable, isVoided } from "./eligibility.ts";
import { isTombstone, TOMBSTONE_ETAG, tombstonesFor } from "./tombstones.ts";

const mirrored = (id: string, data: Record<string, unknown> = {}): MirrorRecord => ({
  kind: "allocation",
  id,
  parentId: "Payment:9",
  billId: "31",
  etag: `e${id}`,
  data: { id: Number(id), amount: 10, ...data },
  dirty: false,
});

describe("tombstones for what Clio no longer lists", () => {
  const cases: Array<{ name: string; mirror: MirrorRecord[]; listed: string[]; gone: string[] }> = [
    { name: "all still listed", mirror: [mirrored("1"), mirrored("2")], listed: ["1", "2"], gone: [] },
    { name: "one missing", mirror: [mirrored("1"), mirrored("2")], listed: ["2"], gone: ["1"] },
    { name: "all missing", mirror: [mirrored("1"), mirrored("2")], listed: [], gone: ["1", "2"] },
    {
      name: "listed but never mirrored (created meanwhile)",
      mirror: [mirrored("1")],
      listed: ["1", "3"],
      gone: [],
    },
    {
      name: "already a tombstone",
      mirror: [mirrored("1", { deleted: true }), mirrored("2")],
      listed: [],
      gone: ["2"],
    },
    { name: "nothing mirrored", mirror: [], listed: ["1"], gone: [] },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.gone.length ? c.gone.join(", ") : "none"}`, () => {
      const out = tombstonesFor(c.mirror, new Set(c.listed));
      assert.deepEqual(
        out.map((t) => t.id),
        c.gone,
      );
    });
  }

  it("keeps the last data, parent and bill, marks it deleted, and makes it dirty with a new etag", () => {
    const [t] = tombstonesFor([mirrored("1")], new Set());
    assert.deepEqual(t, {
      kind: "allocation",
      id: "1",
      parentId: "Payment:9",
      billId: "31",
      etag: TOMBSTONE_ETAG,
      data: { id: 1, amount: 10, deleted: true },
      forceDirty: true,
    });
    assert.equal(isTombstone(t!.data), true);
    assert.equal(isTombstone({ id: 1, deleted: "yes" }), false, "only lexbridge's own mark counts");
  });
});

describe("a bill Clio no longer lists voids its invoice", () => {
  const bill: ClioBillView = {
    id: 1,
    number: "INV-1",
    state: "awaiting_payment",
    issued_at: "2026-03-01",
    total: 10,
  };
  const cases: Array<[string, ClioBillView, boolean, boolean]> = [
    ["listed, awaiting payment", bill, true, false],
    ["listed as void", { ...bill, state: "void" }, false, true],
    ["listed as deleted", { ...bill, state: "deleted" }, false, true],
    ["no longer listed (tombstone), last seen awaiting payment", { ...bill, deleted: true }, false, true],
    ["no longer listed, last seen paid", { ...bill, state: "paid", deleted: true }, false, true],
    ["a draft", { ...bill, state: "draft" }, false, false],
  ];
  for (const [name, b, invoiceable, voided] of cases) {
    it(`${name}: invoiceable ${invoiceable}, voided ${voided}`, () => {
      assert.equal(isInvoiceable(b, "2020-01-01"), invoiceable);
      assert.equal(isVoided(b), voided);
    });
  }
});
