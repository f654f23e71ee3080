import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createQboEmulator } from "../qbo/index.ts";
import { generateFirm } from "./index.ts";

/**
 * The pre-existing QBO company must be data a QBO user could have entered: it loads through the
 * emulator's normal validation (names without ':' or tabs, lengths within QBO's limits) for any seed.
 */
describe("generated QBO company", () => {
  for (const size of ["small", "medium"] as const) {
    it(`loads through QBO's validation for seeds 1–6 (${size})`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const firm = generateFirm({ size, seed });
        const emulator = createQboEmulator();
        assert.doesNotThrow(() => emulator.loadSeed(firm.qbo), `seed ${seed}`);
      }
    });
  }
});
