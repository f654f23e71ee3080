/** The emulator's 2050 length rule counts UTF-16 units by default; `lengthUnit` switches it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kit } from "./test-kit.ts";

const EMOJI = "😀"; // one code point, two UTF-16 units

describe("maximum lengths (2050) and what they count", () => {
  it("counts UTF-16 units by default: 50 emoji fill CompanyName's 100, 51 are refused as 102", async () => {
    const t = kit();
    const fits = await t.post("/customer", { DisplayName: "Fits", CompanyName: EMOJI.repeat(50) });
    assert.equal(fits.status, 200);
    const over = await t.post("/customer", { DisplayName: "Over", CompanyName: EMOJI.repeat(51) });
    assert.equal(t.faultCode(over), "2050");
    assert.equal(t.element(over), "CompanyName");
    assert.match(over.body.Fault.Error[0].Detail, /Max:100 supported. Supplied length:102/);
  });

  it("counts address parts and line descriptions the same way", async () => {
    const t = kit();
    const addr = await t.post("/customer", {
      DisplayName: "Addr",
      BillAddr: { Line1: `${EMOJI.repeat(250)}x` },
    });
    assert.equal(t.element(addr), "BillAddr.Line1");
    const c = await t.create("Customer", { DisplayName: "Lines" });
    const body = t.invoiceBody(c.Id, 10);
    body.Line[0].Description = EMOJI.repeat(2001);
    const line = await t.post("/invoice", body);
    assert.equal(t.element(line), "Line[0].Description");
    assert.match(line.body.Fault.Error[0].Detail, /Max:4000 supported. Supplied length:4002/);
  });

  it("counts code points when the emulator is started or switched that way", async () => {
    const started = kit({ rules: { lengthUnit: "codePoints" } });
    const r = await started.post("/customer", { DisplayName: "CP", CompanyName: EMOJI.repeat(51) });
    assert.equal(r.status, 200);
    const over = await started.post("/customer", { DisplayName: "CP2", CompanyName: EMOJI.repeat(101) });
    assert.match(over.body.Fault.Error[0].Detail, /Supplied length:101/);

    const t = kit();
    assert.equal((await t.call("GET", "/__admin/rules")).body.lengthUnit, "utf16");
    const set = await t.call("PUT", "/__admin/rules", { lengthUnit: "codePoints" });
    assert.equal(set.body.lengthUnit, "codePoints");
    const now = await t.post("/customer", { DisplayName: "Switched", CompanyName: EMOJI.repeat(51) });
    assert.equal(now.status, 200);
  });

  it("refuses a unit it does not know, and keeps the one it had", async () => {
    const t = kit();
    const bad = await t.call("PUT", "/__admin/rules", { lengthUnit: "bytes" });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /lengthUnit must be one of utf16, codePoints/);
    assert.equal((await t.call("GET", "/__admin/rules")).body.lengthUnit, "utf16");
  });
});
